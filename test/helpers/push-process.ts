import type { FakeEmsp, RecordedRequest } from './fake-emsp';
import { bearer, call, killAllNodes, removeTempDirs, type HttpResult } from './node-process';

/**
 * Plumbing of the push process tests (test/process/push-*.test.ts): the admin API of a node running
 * as a child process, a fake eMSP registered through the real handshake, and checks over what the
 * eMSP received. Read-only use of fake-emsp.ts and node-process.ts.
 */

const RECEIVER = '/ocpi/2.2.1/locations/';

/**
 * Push settings of the process tests: a fast worker, a short partner timeout (leases are
 * PARTNER_TIMEOUT_MS + 5 s, so a killed node's deliveries are taken over soon), short backoff.
 */
export function pushEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PUSH_ENABLED: 'true',
    PARTNER_TIMEOUT_MS: '1500',
    PUSH_POLL_INTERVAL_MS: '50',
    PUSH_BACKOFF_BASE_MS: '100',
    PUSH_BACKOFF_MAX_MS: '500',
    PUSH_MAX_ATTEMPTS: '100',
    ...overrides,
  };
}

/**
 * A process test's one scenario, run in beforeAll (every node it started is killed afterwards, temp
 * dirs removed after all), so each check is its own test. Returns the outcome's getter: a check
 * fails with the scenario's own error when it did not complete.
 */
export function scenarioOnce<T>(scenario: () => Promise<T>): () => T {
  let outcome: { value: T } | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      outcome = { value: await scenario() };
    } catch (error) {
      failure = error;
    } finally {
      await killAllNodes();
    }
  });
  afterAll(() => {
    removeTempDirs();
  });
  return () => {
    if (!outcome) throw failure instanceof Error ? failure : new Error(`the scenario did not run: ${String(failure)}`);
    return outcome.value;
  };
}

/** The operator's side of one node: admin calls with the Bearer token, ETags remembered per path. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly etags = new Map<string, string>(),
  ) {}

  /** The same operator talking to another node process on the same database (ETags are per object). */
  on(baseUrl: string): AdminClient {
    return new AdminClient(baseUrl, this.token, this.etags);
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    return call(this.baseUrl, method, path, { headers: { ...bearer(this.token), ...headers }, body, timeoutMs: 10_000 });
  }

  async get(path: string): Promise<HttpResult> {
    const res = await this.request('GET', path);
    expectEnvelope(res, 200, `GET ${path}`);
    this.etags.set(path, res.headers.etag as string);
    return res;
  }

  async put(path: string, body: unknown): Promise<HttpResult> {
    const res = await this.request('PUT', path, body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`PUT ${path} answered ${res.status}: ${res.text}`);
    expectEnvelope(res, res.status, `PUT ${path}`);
    this.etags.set(path, res.headers.etag as string);
    return res;
  }

  /**
   * PATCH with If-Match from the previous response's ETag for this path (a GET first when there was
   * none); on 412 (someone else changed it) the ETag is refreshed and the PATCH sent once more.
   */
  async patch(path: string, body: unknown): Promise<HttpResult> {
    for (let attempt = 1; ; attempt++) {
      const etag = this.etags.get(path) ?? ((await this.get(path)).headers.etag as string);
      const res = await this.request('PATCH', path, body, { 'If-Match': etag });
      if (res.status === 412 && attempt < 10) {
        this.etags.delete(path);
        continue;
      }
      expectEnvelope(res, 200, `PATCH ${path}`);
      this.etags.set(path, res.headers.etag as string);
      return res;
    }
  }
}

function expectEnvelope(res: HttpResult, status: number, what: string): void {
  if (res.status !== status || res.body?.status_code !== 1000) {
    throw new Error(`${what}: expected ${status}/1000, got ${res.status}: ${res.text.slice(0, 500)}`);
  }
}

/** A registration slot on the node, then the eMSP-initiated handshake with its token A; the partner id. */
export async function registerEmsp(admin: AdminClient, emsp: FakeEmsp): Promise<string> {
  const slot = await admin.request('POST', '/admin/partners');
  expectEnvelope(slot, 201, 'POST /admin/partners');
  const answer = await emsp.registerWithNode(slot.body.data.versions_url, slot.body.data.token_a);
  if (answer.status !== 200 || answer.body?.status_code !== 1000) throw new Error(`handshake failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return slot.body.data.id as string;
}

export interface DeliveryCounts {
  pending: number;
  failed: number;
  last_error: string | null;
}

export async function deliveryCounts(admin: AdminClient, partnerId: string): Promise<DeliveryCounts> {
  const res = await admin.request('GET', `/admin/partners/${partnerId}`);
  expectEnvelope(res, 200, `GET /admin/partners/${partnerId}`);
  return res.body.data.deliveries as DeliveryCounts;
}

/** Polls `GET /admin/partners/{id}` until nothing is pending; the last counts seen, or a timeout error naming them. */
export async function waitForEmptyQueue(admin: AdminClient, partnerId: string, timeoutMs: number): Promise<DeliveryCounts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await deliveryCounts(admin, partnerId);
    if (counts.pending === 0) return counts;
    if (Date.now() > deadline) throw new Error(`queue not empty within ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    await sleep(200);
  }
}

/** Polls `check` until it returns true, at most `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Obj = Record<string, any>;

/**
 * Where the eMSP's copy differs from the node's, field by field at every level (EVSEs matched by uid,
 * connectors by id, `last_updated` included). Empty when they are equal.
 */
export function differences(theirs: Obj | undefined, ours: Obj, where: string): string[] {
  if (!theirs) return [`${where}: missing at the eMSP`];
  const out: string[] = [];
  const keys = (o: Obj) => Object.keys(o).filter((k) => o[k] !== undefined);
  for (const key of new Set([...keys(ours), ...keys(theirs)])) {
    if (key === 'evses' || key === 'connectors') {
      const idField = key === 'evses' ? 'uid' : 'id';
      const theirChildren = new Map(((theirs[key] ?? []) as Obj[]).map((c) => [String(c[idField]), c]));
      const ourChildren = (ours[key] ?? []) as Obj[];
      for (const child of ourChildren) out.push(...differences(theirChildren.get(String(child[idField])), child, `${where} ${idField}=${child[idField]}`));
      const extra = [...theirChildren.keys()].filter((id) => !ourChildren.some((c) => String(c[idField]) === id));
      if (extra.length > 0) out.push(`${where}: the eMSP holds ${key} the node does not: ${extra.join(', ')}`);
    } else if (JSON.stringify(theirs[key]) !== JSON.stringify(ours[key])) {
      out.push(`${where}.${key}: eMSP ${JSON.stringify(theirs[key])}, node ${JSON.stringify(ours[key])}`);
    }
  }
  return out;
}

/** Push requests the eMSP received (PUT/PATCH to its locations receiver), in arrival order. */
export function pushesOf(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.path.startsWith(RECEIVER) && (r.method === 'PUT' || r.method === 'PATCH'));
}

interface Target {
  location: string;
  evse?: string;
  connector?: string;
}

function targetOf(request: RecordedRequest): Target {
  const [, , location, evse, connector] = request.path.slice(RECEIVER.length).split('/').map(decodeURIComponent);
  return { location: location as string, evse, connector };
}

/**
 * The `last_updated` values the eMSP received per object, in arrival order. Two views:
 * - `sent:<object>`: values the node sent for that very object (its PUT/PATCH body, or its entry inside a PUT of a parent);
 * - `held:location <id>` / `held:evse <id>/<uid>`: what the receiver sets its object's `last_updated` to on each
 *   request (OCPI: a PUT/PATCH of an EVSE or connector also sets its parents' `last_updated`).
 */
export function receivedTimestamps(requests: RecordedRequest[]): Map<string, { value: string; request: string }[]> {
  const timeline = new Map<string, { value: string; request: string }[]>();
  const add = (key: string, value: unknown, request: string) => {
    if (typeof value !== 'string') return;
    if (!timeline.has(key)) timeline.set(key, []);
    timeline.get(key)!.push({ value, request });
  };
  pushesOf(requests).forEach((request, index) => {
    const body = request.body as Obj;
    const { location, evse, connector } = targetOf(request);
    const label = `#${index} ${request.method} ${request.path}`;
    const addEvse = (e: Obj) => {
      add(`sent:evse ${location}/${e.uid}`, e.last_updated, label);
      add(`held:evse ${location}/${e.uid}`, e.last_updated, label);
      for (const c of (e.connectors ?? []) as Obj[]) add(`sent:connector ${location}/${e.uid}/${c.id}`, c.last_updated, label);
    };
    add(`held:location ${location}`, body.last_updated, label);
    if (!evse) {
      add(`sent:location ${location}`, body.last_updated, label);
      if (request.method === 'PUT') for (const e of (body.evses ?? []) as Obj[]) addEvse(e);
    } else if (!connector) {
      if (request.method === 'PUT') addEvse(body);
      else {
        add(`sent:evse ${location}/${evse}`, body.last_updated, label);
        add(`held:evse ${location}/${evse}`, body.last_updated, label);
      }
    } else {
      add(`sent:connector ${location}/${evse}/${connector}`, body.last_updated, label);
      add(`held:evse ${location}/${evse}`, body.last_updated, label);
    }
  });
  return timeline;
}

/** Every place where a later request carried an older `last_updated` than an earlier one, per key prefix. */
export function regressions(requests: RecordedRequest[], prefix: 'sent:' | 'held:'): string[] {
  const out: string[] = [];
  for (const [key, values] of receivedTimestamps(requests)) {
    if (!key.startsWith(prefix)) continue;
    let highest = values[0]!;
    for (const entry of values.slice(1)) {
      if (Date.parse(entry.value) < Date.parse(highest.value)) out.push(`${key}: ${entry.value} (${entry.request}) after ${highest.value} (${highest.request})`);
      else highest = entry;
    }
  }
  return out;
}

/** Requests that carried the same body to the same object with the same `last_updated` more than once. */
export function duplicateDeliveries(requests: RecordedRequest[]): string[] {
  const seen = new Map<string, number>();
  for (const r of pushesOf(requests)) {
    const key = `${r.method} ${r.path} ${(r.body as Obj)?.last_updated} ${JSON.stringify(r.body)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${count}x ${key.slice(0, 300)}`);
}

/** The node's location as the admin API serves it, and the eMSP's copy of it (`NL/CPO/<id>`) compared. */
export async function partnerCopyDifferences(admin: AdminClient, emsp: FakeEmsp, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    const ours = (await admin.get(`/admin/locations/${id}`)).body.data as Obj;
    out.push(...differences(emsp.locations.get(`NL/CPO/${id}`), ours, `location ${id}`));
  }
  return out;
}
