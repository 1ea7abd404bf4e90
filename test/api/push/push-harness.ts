import request from 'supertest';
import type { Test } from 'supertest';
import { Location } from '../../../src/modules/locations/locations.schema';
import type { Clock } from '../../../src/platform/clock';
import { FakeEmsp, tokenHeader, type FakeEmspOptions, type RecordedRequest } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import type { TestDatabase } from '../../helpers/test-database';

/** Shared plumbing of the push api tests (not a test file itself). */

/** A write the admin API accepted: 200, or 201 when it created the object it addresses. */
export function expectWritten(res: request.Response): void {
  expect([200, 201]).toContain(res.status);
  expectOcpi(res, res.status, 1000);
}

/** The node's push settings for tests: a fast worker, short backoff. Override per test. */
export const FAST_PUSH = {
  PUSH_ENABLED: 'true',
  PUSH_POLL_INTERVAL_MS: '50',
  PUSH_BACKOFF_BASE_MS: '50',
  PUSH_BACKOFF_MAX_MS: '200',
  PUSH_MAX_ATTEMPTS: '50',
  PARTNER_TIMEOUT_MS: '2000',
};

export const RECEIVER = '/ocpi/2.2.1/locations';
/** The path of a location (and optionally its EVSE and connector) at a fake eMSP's receiver. */
export const at = (...ids: string[]) => `${RECEIVER}/NL/CPO/${ids.map(encodeURIComponent).join('/')}`;

/**
 * Polls `check` until it returns without throwing (or returns a value other than `false`), at most
 * `timeoutMs`; then rethrows its last failure, so the test reports what was still wrong.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 20): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await check();
      if (value !== false) return value as Exclude<T, false>;
      failure = new Error('condition still false');
    } catch (error) {
      failure = error;
    }
    if (Date.now() >= deadline) {
      if (failure instanceof Error) failure.message = `not within ${timeoutMs} ms: ${failure.message}`;
      throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits `ms` to prove that something does NOT happen (only used after the thing had time to happen). */
export const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A clock the test moves by hand, so `last_updated` values are known and distinct. */
export class SteppedClock implements Clock {
  private current = Date.parse('2026-03-01T12:00:00.000Z');

  now(): Date {
    return new Date(this.current);
  }

  advance(ms = 1000): string {
    this.current += ms;
    return new Date(this.current).toISOString();
  }
}

export interface PushNode extends TestApp {
  admin: ReturnType<typeof adminApi>;
}

export async function startPushNode(db: TestDatabase, env: Record<string, string> = {}, clock?: Clock): Promise<PushNode> {
  const node = await startTestApp(db, { env: { ...FAST_PUSH, ...env }, ...(clock ? { clock } : {}) });
  return Object.assign(node, { admin: adminApi(node) });
}

type Headers = Record<string, string>;

/** The operator's admin API with its Bearer token. */
export function adminApi(node: TestApp) {
  const call = (method: 'get' | 'put' | 'patch' | 'post' | 'delete', path: string, headers: Headers): Test => {
    const test = request(node.app)[method](path).set('Authorization', `Bearer ${node.adminToken}`);
    for (const [name, value] of Object.entries(headers)) test.set(name, value);
    return test;
  };
  return {
    get: (path: string, headers: Headers = {}) => call('get', path, headers),
    put: (path: string, body: unknown) => call('put', path, {}).send(body as object),
    post: (path: string, body?: unknown) => (body === undefined ? call('post', path, {}) : call('post', path, {}).send(body as object)),
    delete: (path: string) => call('delete', path, {}),
    /** PATCH with the ETag of a fresh GET as If-Match (the admin API requires it). */
    async patch(path: string, body: unknown): Promise<request.Response> {
      const current = await call('get', path, {});
      expectOcpi(current, 200, 1000);
      return call('patch', path, { 'If-Match': current.headers.etag as string }).send(body as object);
    },
  };
}

export interface Partner {
  id: string;
  emsp: FakeEmsp;
  /** The token the eMSP gave us (what the node must send as `Token base64(...)`). */
  tokenForUs: string;
  /** The token the node gave the eMSP. */
  tokenForThem: string;
  tokenA: string;
}

/**
 * For suites whose tests each start a push node with one registered partner: the returned function
 * starts them, and both are stopped after each test (also when the test failed half-way).
 */
export function nodeWithPartnerPerTest(db: TestDatabase): (env?: Record<string, string>) => Promise<{ node: PushNode; partner: Partner }> {
  let node: PushNode | undefined;
  let partner: Partner | undefined;
  afterEach(async () => {
    await partner?.emsp.stop();
    await node?.close();
    node = undefined;
    partner = undefined;
  });
  return async (env = {}) => {
    node = await startPushNode(db, env);
    partner = await registerPartner(node);
    return { node, partner };
  };
}

/** Starts a fake eMSP and registers it with the node through a token A slot (eMSP-initiated handshake). */
export async function registerPartner(node: PushNode, options: FakeEmspOptions = {}): Promise<Partner> {
  const emsp = await new FakeEmsp(options).start();
  const slot = await node.admin.post('/admin/partners');
  expectOcpi(slot, 201, 1000);
  const answer = await emsp.registerWithNode(slot.body.data.versions_url, slot.body.data.token_a);
  expect(answer.status).toBe(200);
  expect(answer.body.status_code).toBe(1000);
  const tokens = [...emsp.acceptedTokens];
  expect(tokens).toHaveLength(1);
  return { id: slot.body.data.id, emsp, tokenForUs: tokens[0] as string, tokenForThem: emsp.tokenForNode!, tokenA: slot.body.data.token_a };
}

/** Starts a fake eMSP and has the node register with it (node-initiated handshake, with the eMSP's token A). */
export async function registerWithPartner(node: PushNode, options: FakeEmspOptions = {}): Promise<Partner> {
  const tokenA = `emsp-issued-token-a-${Math.random().toString(36).slice(2)}`;
  const emsp = await new FakeEmsp({ ...options, tokenA }).start();
  const res = await node.admin.post('/admin/partners/register', { versions_url: emsp.versionsUrl, token: tokenA });
  expectOcpi(res, 201, 1000);
  const tokens = [...emsp.acceptedTokens];
  expect(tokens).toHaveLength(1);
  return { id: res.body.data.id, emsp, tokenForUs: tokens[0] as string, tokenForThem: emsp.tokenForNode!, tokenA };
}

/** The location as the admin API serves it (the node's truth). */
export async function adminLocation(node: PushNode, id: string): Promise<Record<string, any>> {
  const res = await node.admin.get(`/admin/locations/${id}`);
  expectOcpi(res, 200, 1000, Location);
  return res.body.data;
}

/** Pending deliveries of one partner, straight from the outbox table. */
export function pendingCount(db: TestDatabase, partnerId: string, objectKey?: string): Promise<number> {
  return db.prisma.delivery.count({ where: { partnerId, status: 'PENDING', ...(objectKey ? { objectKey } : {}) } });
}

/** Waits until the outbox holds nothing pending for the partner (every change delivered or given up). */
export async function settled(db: TestDatabase, partner: Partner, timeoutMs = 5000): Promise<void> {
  await eventually(async () => expect(await pendingCount(db, partner.id)).toBe(0), timeoutMs);
}

/**
 * The eMSP's copy of the location equals what the node serves, field by field (EVSEs and connectors
 * included, `last_updated` at every level too).
 */
export async function expectPartnerHolds(node: PushNode, emsp: FakeEmsp, id: string): Promise<void> {
  const ours = await adminLocation(node, id);
  const theirs = emsp.locations.get(`NL/CPO/${id}`);
  expect(theirs).toBeDefined();
  expectSameFields(theirs!, ours, `location ${id}`);
}

function expectSameFields(theirs: Record<string, any>, ours: Record<string, any>, where: string): void {
  const keys = (o: Record<string, any>) => Object.keys(o).filter((k) => o[k] !== undefined).sort();
  expect({ where, keys: keys(theirs) }).toEqual({ where, keys: keys(ours) });
  for (const key of keys(ours)) {
    if (key === 'evses' || key === 'connectors') {
      const idField = key === 'evses' ? 'uid' : 'id';
      const list = ours[key] as Record<string, any>[];
      expect({ where, [key]: (theirs[key] as Record<string, any>[]).map((c) => c[idField]) }).toEqual({ where, [key]: list.map((c) => c[idField]) });
      list.forEach((child, index) => expectSameFields(theirs[key][index], child, `${where} ${idField} ${child[idField]}`));
    } else {
      expect({ where, field: key, value: theirs[key] }).toEqual({ where, field: key, value: ours[key] });
    }
  }
}

/** What a push request looked like, for exact comparisons. */
export const shape = (r: RecordedRequest) => ({ method: r.method, path: r.path, body: r.body });

/** Log lines of the node as parsed JSON. */
export function logEntries(node: TestApp): Record<string, any>[] {
  return node.logLines.map((line) => JSON.parse(line) as Record<string, any>);
}

export { tokenHeader };

/** `GET /admin/partners/{id}/deliveries[?status=...]`, checked and unwrapped. */
export async function deliveriesOf(node: PushNode, partnerId: string, status?: 'failed' | 'pending'): Promise<Record<string, any>[]> {
  const res = await node.admin.get(`/admin/partners/${partnerId}/deliveries${status ? `?status=${status}` : ''}`);
  expectOcpi(res, 200, 1000);
  expect(Array.isArray(res.body.data)).toBe(true);
  return res.body.data;
}

/** The `deliveries` summary of `GET /admin/partners/{id}`. */
export async function deliverySummary(node: PushNode, partnerId: string): Promise<Record<string, any>> {
  const res = await node.admin.get(`/admin/partners/${partnerId}`);
  expectOcpi(res, 200, 1000);
  return res.body.data.deliveries;
}

export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
