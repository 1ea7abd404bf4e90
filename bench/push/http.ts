import { Agent, request as httpRequest } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** From sending the request to the last byte of the answer. */
  ms: number;
}

const defaultAgent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One HTTP request over loopback with a bounded wait. */
export function request(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
  timeoutMs = 30_000,
  agent: Agent = defaultAgent,
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const allHeaders: Record<string, string> = { ...headers };
  if (payload !== undefined) allHeaders['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = httpRequest(url, { method, headers: allHeaders, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function closeDefaultAgent(): void {
  defaultAgent.destroy();
}

/** `data` of a successful OCPI envelope (status_code 1000); throws naming `what` otherwise. */
export function envelopeData(reply: Reply, what: string): unknown {
  let parsed: { status_code?: number; data?: unknown };
  try {
    parsed = JSON.parse(reply.body) as typeof parsed;
  } catch {
    throw new Error(`${what}: answered ${reply.status} with a body that is not JSON: ${reply.body.slice(0, 200)}`);
  }
  if (reply.status >= 300 || parsed.status_code !== 1000) throw new Error(`${what}: answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  return parsed.data;
}
