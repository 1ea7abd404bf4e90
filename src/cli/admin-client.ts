import { CliError } from './io';

/** An answer of the admin API outside 2xx / 1xxx: its OCPI status says what went wrong. */
export class AdminApiError extends CliError {
  constructor(
    readonly httpStatus: number,
    readonly statusCode: number | undefined,
    readonly statusMessage: string,
  ) {
    super(`OCPI ${statusCode ?? '-'}: ${statusMessage} (HTTP ${httpStatus})`);
    this.name = 'AdminApiError';
  }
}

export interface AdminClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** Every item of a list, following `Link: <...>; rel="next"` when the node pages it. */
  list<T>(path: string): Promise<T[]>;
}

interface Envelope {
  data?: unknown;
  status_code?: number;
  status_message?: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

function unreachable(baseUrl: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
  return new CliError(`cannot reach the node at ${baseUrl}: ${reason}`);
}

function nextPath(link: string | null): string | undefined {
  const next = link?.split(',').find((part) => /rel="?next"?/.test(part))?.match(/<([^>]+)>/)?.[1];
  if (!next) return undefined;
  // The node builds links from PUBLIC_URL, which may not be the address this client reaches it at.
  const url = new URL(next, 'http://node');
  return `${url.pathname}${url.search}`;
}

/** The admin API of a running node at `baseUrl`, called with the admin token (never shown). */
export function adminClient(baseUrl: string, token: string): AdminClient {
  async function call(method: string, path: string, body?: unknown): Promise<{ data: unknown; link: string | null }> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw unreachable(baseUrl, error);
    }
    const text = await res.text();
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      throw new CliError(`${method} ${baseUrl}${path}: HTTP ${res.status}, not an OCPI answer (is ${baseUrl} the node?)`);
    }
    const failed = !res.ok || envelope.status_code === undefined || envelope.status_code >= 2000;
    if (failed) throw new AdminApiError(res.status, envelope.status_code, envelope.status_message ?? res.statusText);
    return { data: envelope.data, link: res.headers.get('link') };
  }

  return {
    get: async <T>(path: string) => (await call('GET', path)).data as T,
    post: async <T>(path: string, body?: unknown) => (await call('POST', path, body)).data as T,
    delete: async <T>(path: string) => (await call('DELETE', path)).data as T,
    async list<T>(path: string): Promise<T[]> {
      const items: T[] = [];
      for (let next: string | undefined = path; next !== undefined; ) {
        const page = await call('GET', next);
        items.push(...(page.data as T[]));
        next = nextPath(page.link);
      }
      return items;
    },
  };
}
