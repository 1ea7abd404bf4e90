import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A command as the node's webhook charger port POSTed it. */
export interface WebhookCall {
  body: Record<string, any>;
  receivedAt: number;
}

/**
 * The CSMS on the far side of the `webhook` charger port: a real HTTP server on loopback that records
 * each command POSTed to it and answers `status` (2xx: it takes the command).
 */
export class FakeCsms {
  readonly calls: WebhookCall[] = [];
  status = 202;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.calls.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), receivedAt: Date.now() });
        res.writeHead(this.status, { 'Content-Type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/commands`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
