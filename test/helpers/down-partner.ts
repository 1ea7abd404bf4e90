import { createServer, type Server, type Socket } from 'node:net';

/**
 * A partner that is down, on the port where it used to answer: a plain TCP server on loopback that
 * counts every connection it is offered and either resets it at once (`reset`: the process behind the
 * port is gone) or accepts it and never answers (`hang`: the caller's timeout fires). Each request the
 * node makes to a partner that is down opens a connection of its own, so connections are attempts.
 */
export class DownPartner {
  /** Date.now() of every connection, in order. */
  readonly connectedAt: number[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  private constructor(readonly mode: 'reset' | 'hang') {}

  static async listen(port: number, mode: 'reset' | 'hang'): Promise<DownPartner> {
    const partner = new DownPartner(mode);
    const server = createServer((socket) => partner.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    partner.server = server;
    return partner;
  }

  get connections(): number {
    return this.connectedAt.length;
  }

  /** Connections since `from` (a Date.now() value), up to `to` if given. */
  connectionsBetween(from: number, to = Infinity): number {
    return this.connectedAt.filter((at) => at >= from && at < to).length;
  }

  private accept(socket: Socket): void {
    this.connectedAt.push(Date.now());
    socket.on('error', () => undefined);
    if (this.mode === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.resume();
  }

  /** Frees the port (the real partner can listen on it again). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
