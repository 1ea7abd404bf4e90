import request from 'supertest';
import type { Response } from 'supertest';
import { Cdr } from '../../../src/modules/cdrs/cdrs.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { FakeEmsp, tokenHeader } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { adminCall, withHeaders, type Headers } from '../../helpers/request-headers';
import type { TestApp } from '../../helpers/test-app';

/** Shared plumbing of the CDRs api tests (not a test file itself). Requests go to the listening node over loopback. */

export const CDRS = '/ocpi/2.2.1/cdrs';
export const ADMIN_CDRS = '/admin/cdrs';

/** The fields of a CDR in the order OCPI 2.2.1 lists them (digest §3.3.3), written out here so the test can disagree with src. */
export const SPEC_FIELD_ORDER = [
  'country_code', 'party_id', 'id', 'start_date_time', 'end_date_time', 'session_id', 'cdr_token', 'auth_method',
  'authorization_reference', 'cdr_location', 'meter_id', 'currency', 'tariffs', 'charging_periods', 'signed_data',
  'total_cost', 'total_fixed_cost', 'total_energy', 'total_energy_cost', 'total_time', 'total_time_cost',
  'total_parking_time', 'total_parking_cost', 'total_reservation_cost', 'remark', 'invoice_reference_id', 'credit',
  'credit_reference_id', 'home_charging_compensation', 'last_updated',
];

/** The operator's admin API for CDRs, paths relative to `/admin/cdrs`. */
export function cdrAdmin(node: TestApp) {
  const call = adminCall(node, ADMIN_CDRS);
  return {
    get: (path: string, headers: Headers = {}) => call('get', path, headers),
    post: (body: unknown, headers: Headers = {}) => call('post', '', headers).send(body as object),
    call,
  };
}

/** `GET /ocpi/2.2.1/cdrs` (plus a query, or a whole path from a `Link`) as a caller holding `authorization` (undefined: anonymous). */
export function cdrSender(node: TestApp, authorization?: string) {
  const auth = (headers: Headers): Headers => (authorization ? { Authorization: authorization, ...headers } : headers);
  return {
    list: (query = '', headers: Headers = {}) => withHeaders(request(node.baseUrl).get(`${CDRS}${query ? `?${query}` : ''}`), auth(headers)),
    follow: (path: string) => withHeaders(request(node.baseUrl).get(path), auth({})),
  };
}

/** A 200 list answer whose every item is a valid CDR. */
export function expectCdrList(res: Response): void {
  expectOcpi(res, 200, 1000);
  expect(Array.isArray(res.body.data)).toBe(true);
  for (const item of res.body.data as unknown[]) expect(problemsWith(Cdr, item)).toEqual([]);
}

/** Stores `body` through the admin API, expecting 201; returns the served CDR. */
export async function storeCdr(node: TestApp, body: unknown): Promise<Record<string, any>> {
  const res = await cdrAdmin(node).post(body);
  expectOcpi(res, 201, 1000, Cdr);
  return res.body.data;
}

/** How many CDRs the node holds (the admin list's X-Total-Count). */
export async function storedCount(node: TestApp): Promise<number> {
  const res = await cdrAdmin(node).get('');
  expectCdrList(res);
  return Number(res.headers['x-total-count']);
}

/** Starts a fake eMSP of party `countryCode`/`partyId`, registers it through a token A and returns its Authorization header. */
export async function registeredEmsp(node: TestApp, party: { countryCode: string; partyId: string }): Promise<string> {
  const emsp = await new FakeEmsp(party).start();
  try {
    const slot = await request(node.baseUrl).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
    expectOcpi(slot, 201, 1000);
    const answer = await emsp.registerWithNode(slot.body.data.versions_url, slot.body.data.token_a);
    expect(answer.status).toBe(200);
    return tokenHeader(emsp.tokenForNode!);
  } finally {
    await emsp.stop();
  }
}
