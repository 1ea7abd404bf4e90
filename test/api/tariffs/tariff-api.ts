import request from 'supertest';
import type { Response } from 'supertest';
import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { adminCall, withHeaders, type Headers } from '../../helpers/request-headers';
import type { TestApp } from '../../helpers/test-app';

/** Shared plumbing of the tariffs api tests (not a test file itself). Requests go to the listening node over loopback. */

export const TARIFFS = '/ocpi/2.2.1/tariffs';
export const ADMIN_TARIFFS = '/admin/tariffs';

/** The fields of a Tariff in the order OCPI 2.2.1 lists them (digest §3.4.3), written out here so the test can disagree with src. */
export const SPEC_FIELD_ORDER = [
  'country_code', 'party_id', 'id', 'currency', 'type', 'tariff_alt_text', 'tariff_alt_url', 'min_price', 'max_price',
  'elements', 'start_date_time', 'end_date_time', 'energy_mix', 'last_updated',
];

/** The operator's admin API for tariffs, paths relative to `/admin/tariffs`. */
export function tariffAdmin(node: TestApp) {
  const call = adminCall(node, ADMIN_TARIFFS);
  return {
    get: (path: string, headers: Headers = {}) => call('get', path, headers),
    put: (path: string, body: unknown, headers: Headers = {}) => call('put', path, headers).send(body as object),
    patch: (path: string, body: unknown, headers: Headers = {}) => call('patch', path, headers).send(body as object),
    post: (path: string, body: unknown, headers: Headers = {}) => call('post', path, headers).send(body as object),
    delete: (path: string, headers: Headers = {}) => call('delete', path, headers),
  };
}

/** `GET /ocpi/2.2.1/tariffs` (plus a query, or a whole path from a `Link`) as a caller holding `authorization` (undefined: anonymous). */
export function tariffSender(node: TestApp, authorization?: string) {
  return {
    list: (query = '', headers: Headers = {}) =>
      withHeaders(request(node.baseUrl).get(`${TARIFFS}${query ? `?${query}` : ''}`), authorization ? { Authorization: authorization, ...headers } : headers),
    follow: (path: string) => withHeaders(request(node.baseUrl).get(path), authorization ? { Authorization: authorization } : {}),
  };
}

/** A 200 list answer whose every item is a valid Tariff. */
export function expectTariffList(res: Response): void {
  expectOcpi(res, 200, 1000);
  expect(Array.isArray(res.body.data)).toBe(true);
  for (const item of res.body.data as unknown[]) expect(problemsWith(Tariff, item)).toEqual([]);
}

/** GET of a stored tariff: its ETag and body, to prove a refused write changed nothing. */
export async function storedTariff(node: TestApp, id: string): Promise<{ etag: string; data: Record<string, unknown> }> {
  const res = await tariffAdmin(node).get(`/${id}`);
  expectOcpi(res, 200, 1000, Tariff);
  return { etag: res.headers.etag as string, data: res.body.data };
}

export async function expectNoTariff(node: TestApp, id: string): Promise<void> {
  const res = await tariffAdmin(node).get(`/${id}`);
  expectOcpi(res, 404, 2000);
  expect(res.body.data).toBeUndefined();
}
