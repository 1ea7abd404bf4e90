import autocannon from 'autocannon';
import { get, nextLink } from './http';
import { locationId } from './seed';

export const LOCATIONS_PATH = '/ocpi/2.2.1/locations';

/** A server under test: ours (with the partner's token) or the baseline (no authentication). */
export interface Target {
  label: 'ours' | 'baseline';
  baseUrl: string;
  headers: Record<string, string>;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Envelope {
  data?: unknown;
  status_code?: number;
}

export function parseEnvelope(body: string, what: string): Envelope {
  const parsed = JSON.parse(body) as Envelope;
  if (parsed.status_code !== 1000) throw new Error(`${what}: status_code ${parsed.status_code}`);
  return parsed;
}

export interface SyncResult {
  seconds: number;
  pages: number;
  bytes: number;
  /** Objects (locations, tariffs) per second. */
  perSecond: number;
}

/**
 * A partner's full sync of the list at `listPath`: GET `?limit=<pageSize>`, then follow `Link` rel="next" to the
 * end. Bodies are kept and checked after the clock stops (every id exactly once, N in all, X-Total-Count = N), so
 * the JSON parsing of the check does not count.
 */
export async function fullSync(target: Target, n: number, pageSize: number, deadlineMs: number, listPath = LOCATIONS_PATH): Promise<SyncResult> {
  const bodies: string[] = [];
  const totals = new Set<string>();
  let url: string | undefined = `${target.baseUrl}${listPath}?limit=${pageSize}`;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + deadlineMs;
  while (url) {
    if (Date.now() > deadline) throw new Error(`${target.label}: full sync took longer than ${deadlineMs} ms`);
    const reply = await get(url, target.headers);
    if (reply.status !== 200) throw new Error(`${target.label}: GET ${url} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    bodies.push(reply.body);
    totals.add(String(reply.headers['x-total-count']));
    url = nextLink(reply);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  const seen = new Set<string>();
  let count = 0;
  let bytes = 0;
  for (const body of bodies) {
    bytes += Buffer.byteLength(body);
    const items = parseEnvelope(body, `${target.label} page`).data as { id: string }[];
    for (const item of items) {
      count++;
      if (seen.has(item.id)) throw new Error(`${target.label}: ${item.id} came twice in the full sync of ${listPath}`);
      seen.add(item.id);
    }
  }
  if (count !== n) throw new Error(`${target.label}: the full sync of ${listPath} returned ${count} items, expected ${n}`);
  if (totals.size !== 1 || !totals.has(String(n))) throw new Error(`${target.label}: X-Total-Count was ${[...totals].join(',')}, expected ${n}`);
  return { seconds, pages: bodies.length, bytes, perSecond: n / seconds };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
}

/** Single-location GETs of random existing ids at `connections` keep-alive connections for `seconds`. */
export async function singleGets(target: Target, n: number, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: target.baseUrl,
    connections,
    duration: seconds,
    timeout: 10,
    headers: target.headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `${LOCATIONS_PATH}/${locationId(1 + Math.floor(Math.random() * n))}` }),
      },
    ],
  });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) {
    throw new Error(`${target.label}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx among ${result.requests.total} single GETs`);
  }
  return { requestsPerSecond: result.requests.total / result.duration, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}

export interface PageCost {
  offset0Ms: number;
  offsetFarMs: number;
  ratio: number;
}

/**
 * Median latency of `samples` sequential requests for the first page and for the page at `farOffset`, the
 * two alternating (after a few unrecorded warm-up pairs) so drift on a noisy machine hits both alike.
 */
export async function pageCost(target: Target, firstUrl: string, farUrl: string, samples: number): Promise<PageCost> {
  const near: number[] = [];
  const far: number[] = [];
  const once = async (url: string): Promise<number> => {
    const reply = await get(url, target.headers);
    if (reply.status !== 200) throw new Error(`${target.label}: GET ${url} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    return reply.ms;
  };
  for (let i = 0; i < 5; i++) {
    await once(firstUrl);
    await once(farUrl);
  }
  for (let i = 0; i < samples; i++) {
    if (i % 2 === 0) {
      near.push(await once(firstUrl));
      far.push(await once(farUrl));
    } else {
      far.push(await once(farUrl));
      near.push(await once(firstUrl));
    }
  }
  const offset0Ms = median(near);
  const offsetFarMs = median(far);
  return { offset0Ms, offsetFarMs, ratio: offsetFarMs / offset0Ms };
}

/** The cursor our `Link` headers carry to reach `offset` (src/ocpi/pagination.ts): base64url of {"o":offset,"k":pk}. */
export function cursorFor(offset: number, pkBefore: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: pkBefore }), 'utf8').toString('base64url');
}
