import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** The partner could not be reached or did not answer in time (no HTTP response at all). */
export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'network',
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

// Connections to partners are reused (push sends many small requests to few hosts). An idle one is
// closed after 2 s, before a typical server's keep-alive timeout (Node's: 5 s) could close it under us.
const agentOptions = { keepAlive: true, timeout: 2000 };
const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

/**
 * One request over node:http(s) with pooled keep-alive connections. `timeoutMs` bounds the whole
 * exchange, from sending to the last byte of the answer. Redirects are not followed (a 3xx is returned).
 */
export function sendHttp(request: HttpRequest): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.reject(new HttpTransportError('cannot reach invalid URL', 'network'));
  }
  const protocol = url.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') {
    return Promise.reject(new HttpTransportError(`cannot reach ${url.host}: unsupported protocol ${protocol}`, 'network'));
  }
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  let body: Buffer | undefined;
  if (request.body !== undefined) {
    body = Buffer.from(JSON.stringify(request.body), 'utf8');
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(body.length);
  }
  const client = protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: HttpTransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const req = client.request(url, { method: request.method, headers, agent: agents[protocol] }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: toHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error: NodeJS.ErrnoException) => fail(new HttpTransportError(`cannot reach ${url.host}: ${error.code ?? error.message}`, 'network')));
    });
    const timer = setTimeout(() => {
      fail(new HttpTransportError(`no answer from ${url.host} within ${request.timeoutMs} ms`, 'timeout'));
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => fail(new HttpTransportError(`cannot reach ${url.host}: ${error.code ?? error.message}`, 'network')));
    req.end(body);
  });
}

function toHeaders(incoming: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}
