import request from 'supertest';
import type { Response } from 'supertest';
import { Session } from '../../../src/modules/sessions/sessions.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { FakeEmsp, tokenHeader, type FakeEmspOptions } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { adminCall, withHeaders, type Headers } from '../../helpers/request-headers';
import type { TestApp } from '../../helpers/test-app';

/** Shared plumbing of the sessions api tests (not a test file itself). Requests go to the listening node over loopback. */

export const SESSIONS = '/ocpi/2.2.1/sessions';
export const ADMIN_SESSIONS = '/admin/sessions';

/** The fields of a Session in the order OCPI 2.2.1 lists them (digest §3.2.3), written out here so the test can disagree with src. */
export const SPEC_FIELD_ORDER = [
  'country_code', 'party_id', 'id', 'start_date_time', 'end_date_time', 'kwh', 'cdr_token', 'auth_method', 'authorization_reference',
  'location_id', 'evse_uid', 'connector_id', 'meter_id', 'currency', 'charging_periods', 'total_cost', 'status', 'last_updated',
];

/** The operator's admin API for sessions, paths relative to `/admin/sessions`. */
export function sessionAdmin(node: TestApp) {
  const auth = { Authorization: `Bearer ${node.adminToken}` };
  const call = adminCall(node, ADMIN_SESSIONS);
  return {
    get: (path: string, headers: Headers = {}) => call('get', path, headers),
    put: (path: string, body: unknown, headers: Headers = {}) => call('put', path, headers).send(body as object),
    patch: (path: string, body: unknown, headers: Headers = {}) => call('patch', path, headers).send(body as object),
    delete: (path: string, headers: Headers = {}) => call('delete', path, headers),
    follow: (path: string) => withHeaders(request(node.baseUrl).get(path), auth),
  };
}

/** The OCPI sessions sender interface as a caller holding `authorization`. */
export function sessionSender(node: TestApp, authorization: string) {
  const auth = { Authorization: authorization };
  return {
    list: (query = '') => withHeaders(request(node.baseUrl).get(`${SESSIONS}${query ? `?${query}` : ''}`), auth),
    follow: (path: string) => withHeaders(request(node.baseUrl).get(path), auth),
    preferences: (id: string, body: unknown) => withHeaders(request(node.baseUrl).put(`${SESSIONS}/${id}/charging_preferences`), auth).send(body as object),
  };
}

/** Registers a fake eMSP of the given party (and role, default EMSP) through token A; returns its Authorization header value. */
export async function registeredEmsp(node: TestApp, options: FakeEmspOptions): Promise<string> {
  const emsp = await new FakeEmsp(options).start();
  try {
    const slot = await request(node.baseUrl).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`).send({ role: options.role ?? 'EMSP' });
    expectOcpi(slot, 201, 1000);
    const answer = await emsp.registerWithNode(slot.body.data.versions_url, slot.body.data.token_a);
    expect(answer.status).toBe(200);
    return tokenHeader(emsp.tokenForNode!);
  } finally {
    await emsp.stop();
  }
}

/** A 200 list answer whose every item is a valid Session; returns the ids. */
export function expectSessionList(res: Response): string[] {
  expectOcpi(res, 200, 1000);
  expect(Array.isArray(res.body.data)).toBe(true);
  for (const item of res.body.data as unknown[]) expect(problemsWith(Session, item)).toEqual([]);
  return (res.body.data as { id: string }[]).map((s) => s.id);
}

/** GET of a stored session: its ETag and body, to prove a refused write changed nothing. */
export async function storedSession(node: TestApp, id: string): Promise<{ etag: string; data: Record<string, any> }> {
  const res = await sessionAdmin(node).get(`/${id}`);
  expectOcpi(res, 200, 1000, Session);
  return { etag: res.headers.etag as string, data: res.body.data };
}

export async function expectNoSession(node: TestApp, id: string): Promise<void> {
  const res = await sessionAdmin(node).get(`/${id}`);
  expectOcpi(res, 404, 2000);
  expect(res.body.data).toBeUndefined();
}
