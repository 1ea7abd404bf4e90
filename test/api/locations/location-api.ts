import request from 'supertest';
import type { Response } from 'supertest';
import type { Clock } from '../../../src/platform/clock';
import { FakeEmsp, tokenHeader } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { adminCall, withHeaders, type Headers } from '../../helpers/request-headers';
import type { TestApp } from '../../helpers/test-app';

/** Shared plumbing of the locations api tests (not a test file itself). Requests go to the listening node over loopback. */

export const SENDER = '/ocpi/2.2.1/locations';
export const ADMIN = '/admin/locations';

/** Header values may come straight from an earlier response (`res.headers.etag`); a missing one fails loudly. */
/** The operator's admin API, paths relative to `/admin/locations`. */
export function adminApi(node: TestApp) {
  const call = adminCall(node, ADMIN);
  return {
    get: (path: string, headers: Headers = {}) => call('get', path, headers),
    put: (path: string, body: unknown, headers: Headers = {}) => call('put', path, headers).send(body as object),
    patch: (path: string, body: unknown, headers: Headers = {}) => call('patch', path, headers).send(body as object),
    delete: (path: string, headers: Headers = {}) => call('delete', path, headers),
  };
}

/** The OCPI sender interface as a caller holding `authorization` (undefined: anonymous), paths relative to it. */
export function senderApi(node: TestApp, authorization?: string) {
  return {
    get: (path: string, headers: Headers = {}) =>
      withHeaders(request(node.baseUrl).get(`${SENDER}${path}`), authorization ? { Authorization: authorization, ...headers } : headers),
  };
}

/** Registers a fake eMSP through token A and returns the Authorization header value of its token. */
export async function registeredPartner(node: TestApp): Promise<string> {
  const emsp = await new FakeEmsp().start();
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

/** A token A (registration token) of a fresh slot, as an Authorization header value. */
export async function registrationToken(node: TestApp): Promise<string> {
  const slot = await request(node.baseUrl).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
  expectOcpi(slot, 201, 1000);
  return tokenHeader(slot.body.data.token_a);
}

/** A clock the test moves by hand, so `last_updated` values are known and distinct. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = '2026-03-01T12:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms = 1000): string {
    this.current += ms;
    return this.iso();
  }

  iso(): string {
    return new Date(this.current).toISOString();
  }
}

/** The path and query of the `Link: <...>; rel="next"` header, or undefined when there is none. */
export function nextPath(res: Response): string | undefined {
  const link = res.headers.link as string | undefined;
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>;\s*rel="next"$/.exec(link);
  if (!match) throw new Error(`malformed Link header: ${link}`);
  const url = new URL(match[1] as string);
  return `${url.pathname}${url.search}`;
}

export function linkParams(res: Response): URLSearchParams {
  const path = nextPath(res);
  if (!path) throw new Error('no Link header');
  return new URL(path, 'http://x').searchParams;
}

/** The object without `last_updated` at any depth. */
export function withoutLastUpdated(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLastUpdated);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'last_updated').map(([key, v]) => [key, withoutLastUpdated(v)]));
  }
  return value;
}

export const ids = (res: Response): string[] => (res.body.data as { id: string }[]).map((l) => l.id);

/** The version number inside an ETag like `"7"` (given, or the response's). */
export function versionOf(from: Response | string): number {
  const etag = typeof from === 'string' ? from : (from.headers.etag as string | undefined);
  const match = /^"(\d+)"$/.exec(etag ?? '');
  if (!match) throw new Error(`no strong numeric ETag: ${String(etag)}`);
  return Number(match[1]);
}
