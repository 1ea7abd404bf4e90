import request from 'supertest';
import type { Response } from 'supertest';
import { Type } from '@sinclair/typebox';
import { Token } from '../../../src/modules/tokens/tokens.schema';
import { FakeEmsp, tokenHeader, type FakeEmspOptions } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { withHeaders, type Headers } from '../../helpers/request-headers';
import type { TestApp } from '../../helpers/test-app';

/** Shared plumbing of the tokens api tests (not a test file itself). Requests go to the listening node over loopback. */

export const TOKENS = '/ocpi/2.2.1/tokens';
export const ADMIN_TOKENS = '/admin/tokens';
export const TokenList = Type.Array(Token);

/** A valid Token of party `cc`/`pid`; `fields` override (undefined removes a field). */
export function tokenBody(cc: string, pid: string, uid: string, fields: Record<string, unknown> = {}): Record<string, any> {
  const token: Record<string, unknown> = {
    country_code: cc,
    party_id: pid,
    uid,
    type: 'RFID',
    contract_id: `${cc}-${pid}-C${uid}`.slice(0, 36),
    visual_number: `V-${uid}`,
    issuer: 'Fake eMSP',
    valid: true,
    whitelist: 'ALLOWED',
    last_updated: '2026-03-01T10:00:00Z',
    ...fields,
  };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete token[key];
  return token;
}

/** The OCPI Tokens RECEIVER as a caller holding `authorization` (undefined: anonymous). */
export function tokenReceiver(node: TestApp, authorization: string | undefined) {
  const auth: Headers = authorization === undefined ? {} : { Authorization: authorization };
  const call = (method: 'get' | 'put' | 'patch' | 'post' | 'delete', path: string, headers: Headers) =>
    withHeaders(request(node.baseUrl)[method](`${TOKENS}${path}`), { ...auth, ...headers });
  return {
    get: (path: string, headers: Headers = {}) => call('get', path, headers),
    put: (path: string, body: unknown, headers: Headers = {}) => call('put', path, headers).send(body as object),
    patch: (path: string, body: unknown, headers: Headers = {}) => call('patch', path, headers).send(body as object),
    delete: (path: string) => call('delete', path, {}),
  };
}

/** The operator's admin API for tokens and partner syncs. */
export function tokenAdmin(node: TestApp) {
  const auth = { Authorization: `Bearer ${node.adminToken}` };
  return {
    get: (path: string, headers: Headers = {}) => withHeaders(request(node.baseUrl).get(`${ADMIN_TOKENS}${path}`), { ...auth, ...headers }),
    follow: (url: string) => withHeaders(request(url).get(''), auth),
    sync: (partnerId: string, body: unknown = { module: 'tokens' }) =>
      withHeaders(request(node.baseUrl).post(`/admin/partners/${partnerId}/sync`), auth).send(body as object),
  };
}

export interface RegisteredEmsp {
  id: string;
  emsp: FakeEmsp;
  /** The Authorization header value it calls the node with. */
  auth: string;
}

/** Starts a fake eMSP of the given party and registers it through token A; the caller stops it. */
export async function registerEmsp(node: TestApp, options: FakeEmspOptions, role = options.role ?? 'EMSP', setup?: (emsp: FakeEmsp) => void): Promise<RegisteredEmsp> {
  const emsp = await new FakeEmsp({ ...options, role }).start();
  setup?.(emsp);
  const slot = await request(node.baseUrl).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`).send({ role });
  expectOcpi(slot, 201, 1000);
  const answer = await emsp.registerWithNode(slot.body.data.versions_url, slot.body.data.token_a);
  expect(answer.status).toBe(200);
  expect(answer.body.status_code).toBe(1000);
  return { id: slot.body.data.id as string, emsp, auth: tokenHeader(emsp.tokenForNode!) };
}

/** A 200 GET of one token: valid, with an ETag; returns the body's data and the tag. */
export function expectToken(res: Response): { data: Record<string, any>; etag: string } {
  expectOcpi(res, 200, 1000, Token);
  expect(res.headers.etag).toMatch(/^"\d+"$/);
  return { data: res.body.data, etag: res.headers.etag as string };
}

/** A receiver write the node accepted: `status` (201 created, 200 replaced), envelope without data, a new ETag. */
export function expectWritten(res: Response, status: 200 | 201): string {
  expectOcpi(res, status, 1000);
  expect(res.body.data).toBeUndefined();
  expect(res.headers.etag).toMatch(/^"\d+"$/);
  return res.headers.etag as string;
}
