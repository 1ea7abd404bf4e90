import { Agent, request } from 'node:http';

/** One keep-alive connection per target for sequential measurements (like a partner's sync client). */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** From sending the request to the last byte of the body. */
  ms: number;
}

/** GET over loopback; rejects after `timeoutMs`. */
export function get(url: string, headers: Record<string, string>, timeoutMs = 30_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(url, { method: 'GET', headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The target of `Link: <url>; rel="next"`, if any. */
export function nextLink(reply: Reply): string | undefined {
  const link = reply.headers.link;
  const value = Array.isArray(link) ? link.join(', ') : link;
  if (!value) return undefined;
  return /<([^>]+)>;\s*rel="next"/.exec(value)?.[1];
}

export function closeConnections(): void {
  agent.destroy();
}
