import request from 'supertest';
import { AuthorizeDecision } from '../../../src/modules/tokens/authorize.schema';
import type { AuthorizeAnswer } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { cdrToken, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { expectWritten, registerEmsp, tokenBody, tokenReceiver, type RegisteredEmsp } from './token-api';

/** `POST /admin/authorize` (ARCHITECTURE §2): the digest's whitelist table (§3.5.2) row by row, and real-time authorization. */

const TIMEOUT_MS = 300;
const db = databasePerSuite();
let node: TestApp;
const registered: RegisteredEmsp[] = [];

beforeEach(async () => {
  node = await startTestApp(db, { env: { AUTHORIZE_TIMEOUT_MS: String(TIMEOUT_MS) } });
});

afterEach(async () => {
  for (const { emsp } of registered.splice(0)) await emsp.stop();
  await node.close();
});

async function emsp(countryCode = 'DE', partyId = 'AAA'): Promise<RegisteredEmsp> {
  const one = await registerEmsp(node, { countryCode, partyId });
  registered.push(one);
  return one;
}

/** The eMSP pushes a token to the cache, as it would (the Tokens RECEIVER). */
async function cache(by: RegisteredEmsp, uid: string, fields: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const token = tokenBody(by.emsp.countryCode, by.emsp.partyId, uid, fields);
  expectWritten(await tokenReceiver(node, by.auth).put(`/${token.country_code}/${token.party_id}/${uid}`, token), 201);
  return token;
}

/** A cached token as the node serves it (its last_updated in milliseconds). */
const served = (token: Record<string, any>) => ({ ...token, last_updated: new Date(token.last_updated as string).toISOString() });
const answer = (by: RegisteredEmsp, uid: string, value: AuthorizeAnswer) => by.emsp.authorizeAnswers.set(uid.toUpperCase(), value);
const info = (token: Record<string, any>, allowed = 'ALLOWED', extra: Record<string, unknown> = {}): AuthorizeAnswer => ({ info: { allowed, token, ...extra } });

const authorizeAs = (authorization: string, body: unknown) => request(node.baseUrl).post('/admin/authorize').set('Authorization', authorization).send(body as object);
const authorizeCall = (body: unknown) => authorizeAs(`Bearer ${node.adminToken}`, body);

async function decided(body: unknown): Promise<Record<string, any>> {
  const res = await authorizeCall(body);
  expectOcpi(res, 200, 1000, AuthorizeDecision);
  return res.body.data;
}

describe('POST /admin/authorize: cached tokens (whitelist table, digest §3.5.2)', () => {
  it('when the whitelist is ALWAYS or ALLOWED, then the cache decides (valid → ALLOWED, invalid → BLOCKED) without calling the eMSP', async () => {
    const e = await emsp();
    const always = await cache(e, 'ALWAYS-OK', { whitelist: 'ALWAYS' });
    await cache(e, 'ALWAYS-BAD', { whitelist: 'ALWAYS', valid: false });
    await cache(e, 'ALLOWED-OK', { whitelist: 'ALLOWED' });
    await cache(e, 'ALLOWED-BAD', { whitelist: 'ALLOWED', valid: false });
    expect(await decided({ uid: 'always-ok', location_id: 'LOC-1', evse_uids: ['E1'] })).toEqual({
      allowed: 'ALLOWED', token: served(always), location: { location_id: 'LOC-1', evse_uids: ['E1'] }, decided_by: 'CACHE',
    });
    expect(await decided({ uid: 'ALWAYS-BAD', location_id: 'LOC-1' })).toEqual(expect.objectContaining({ allowed: 'BLOCKED', decided_by: 'CACHE' }));
    expect((await decided({ uid: 'ALWAYS-BAD' })).location).toBeUndefined();
    expect(await decided({ uid: 'ALLOWED-OK', type: 'RFID' })).toEqual(expect.objectContaining({ allowed: 'ALLOWED', decided_by: 'CACHE' }));
    expect(await decided({ uid: 'ALLOWED-BAD' })).toEqual(expect.objectContaining({ allowed: 'BLOCKED', decided_by: 'CACHE' }));
    expect(e.emsp.authorizeRequests()).toEqual([]);
  });

  it('when the whitelist is ALLOWED_OFFLINE and the eMSP answers, then its answer decides: LocationReferences, type and routing headers sent', async () => {
    const e = await emsp();
    const token = await cache(e, 'OFF-1', { whitelist: 'ALLOWED_OFFLINE', valid: false });
    answer(e, 'OFF-1', info(token, 'ALLOWED', { authorization_reference: 'REF-1', location: { location_id: 'LOC-1', evse_uids: ['E2'] }, info: { language: 'en', text: 'Welcome' } }));
    expect(await decided({ uid: 'OFF-1', location_id: 'LOC-1', evse_uids: ['E1', 'E2'] })).toEqual({
      allowed: 'ALLOWED', token, authorization_reference: 'REF-1', location: { location_id: 'LOC-1', evse_uids: ['E2'] }, info: { language: 'en', text: 'Welcome' }, decided_by: 'REAL_TIME',
    });
    const [call] = e.emsp.authorizeRequests();
    expect(call).toEqual(expect.objectContaining({ method: 'POST', path: '/ocpi/2.2.1/tokens/OFF-1/authorize', query: 'type=RFID', body: { location_id: 'LOC-1', evse_uids: ['E1', 'E2'] } }));
    expect(call!.headers).toEqual(expect.objectContaining({
      'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'CPO', 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'AAA',
    }));
    expect(call!.headers['x-request-id']).toBeTruthy();
  });

  it('when the whitelist is ALLOWED_OFFLINE and the eMSP is stopped, hangs past the timeout or answers 500, then the cache decides as OFFLINE_FALLBACK', async () => {
    const e = await emsp();
    const token = await cache(e, 'OFF-2', { whitelist: 'ALLOWED_OFFLINE' });
    await cache(e, 'OFF-3', { whitelist: 'ALLOWED_OFFLINE', valid: false });
    answer(e, 'OFF-2', 'http-500');
    expect(await decided({ uid: 'OFF-2', location_id: 'LOC-1' })).toEqual({ allowed: 'ALLOWED', token: served(token), location: { location_id: 'LOC-1' }, decided_by: 'OFFLINE_FALLBACK' });
    answer(e, 'OFF-2', 'hang');
    const started = Date.now();
    expect(await decided({ uid: 'OFF-2' })).toEqual(expect.objectContaining({ allowed: 'ALLOWED', decided_by: 'OFFLINE_FALLBACK' }));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
    await e.emsp.stop();
    expect(await decided({ uid: 'OFF-2' })).toEqual(expect.objectContaining({ allowed: 'ALLOWED', decided_by: 'OFFLINE_FALLBACK' }));
    expect(await decided({ uid: 'OFF-3' })).toEqual(expect.objectContaining({ allowed: 'BLOCKED', decided_by: 'OFFLINE_FALLBACK' }));
  });

  it('when the whitelist is NEVER, then the eMSP decides even over a cached valid flag; stopped or hanging → NOT_ALLOWED as OFFLINE_FALLBACK', async () => {
    const e = await emsp();
    const valid = await cache(e, 'NEVER-1', { whitelist: 'NEVER' });
    const invalid = await cache(e, 'NEVER-2', { whitelist: 'NEVER', valid: false });
    answer(e, 'NEVER-1', info(valid, 'NO_CREDIT'));
    answer(e, 'NEVER-2', info({ ...invalid, valid: true }, 'ALLOWED'));
    expect(await decided({ uid: 'NEVER-1', location_id: 'LOC-1' })).toEqual({ allowed: 'NO_CREDIT', token: valid, decided_by: 'REAL_TIME' });
    expect(await decided({ uid: 'NEVER-2' })).toEqual({ allowed: 'ALLOWED', token: { ...invalid, valid: true }, decided_by: 'REAL_TIME' });
    expect(e.emsp.authorizeRequests().map((r) => r.body)).toEqual([{ location_id: 'LOC-1' }, undefined]);
    answer(e, 'NEVER-1', 'hang');
    expect(await decided({ uid: 'NEVER-1' })).toEqual({ allowed: 'NOT_ALLOWED', token: served(valid), decided_by: 'OFFLINE_FALLBACK' });
    await e.emsp.stop();
    expect(await decided({ uid: 'NEVER-1', location_id: 'LOC-1' })).toEqual({ allowed: 'NOT_ALLOWED', token: served(valid), decided_by: 'OFFLINE_FALLBACK' });
  });

  it('when the owner answers 404 / 2004, 2002 or a token of another party, then NOT_ALLOWED (REAL_TIME)', async () => {
    const e = await emsp();
    const token = await cache(e, 'NEVER-3', { whitelist: 'NEVER' });
    expect(await decided({ uid: 'NEVER-3' })).toEqual({ allowed: 'NOT_ALLOWED', token: served(token), decided_by: 'REAL_TIME' });
    answer(e, 'NEVER-3', { ...(info(token) as { info: Record<string, any> }), needsLocation: true });
    expect(await decided({ uid: 'NEVER-3' })).toEqual({ allowed: 'NOT_ALLOWED', token: served(token), decided_by: 'REAL_TIME' });
    expect(await decided({ uid: 'NEVER-3', location_id: 'LOC-1' })).toEqual(expect.objectContaining({ allowed: 'ALLOWED', decided_by: 'REAL_TIME' }));
    answer(e, 'NEVER-3', info({ ...token, party_id: 'ZZZ' }));
    expect(await decided({ uid: 'NEVER-3' })).toEqual({ allowed: 'NOT_ALLOWED', token: served(token), decided_by: 'REAL_TIME' });
  });

  it('when two parties hold the uid, then the valid one decides, the other is not asked', async () => {
    const a = await emsp('DE', 'AAA');
    const b = await emsp('FR', 'BBB');
    await cache(a, 'SHARED', { whitelist: 'NEVER', valid: false, last_updated: '2026-03-02T10:00:00Z' });
    const held = await cache(b, 'SHARED', { whitelist: 'NEVER' });
    answer(b, 'SHARED', info(held));
    expect(await decided({ uid: 'SHARED' })).toEqual(expect.objectContaining({ allowed: 'ALLOWED', token: held, decided_by: 'REAL_TIME' }));
    expect(a.emsp.authorizeRequests()).toEqual([]);
    expect(b.emsp.authorizeRequests()[0]!.headers).toEqual(expect.objectContaining({ 'ocpi-to-country-code': 'FR', 'ocpi-to-party-id': 'BBB' }));
  });
});

describe('POST /admin/authorize: tokens the cache does not know', () => {
  it('when one eMSP knows it and another answers 2004, then every eMSP is asked and the one that knows it decides', async () => {
    const a = await emsp('DE', 'AAA');
    const b = await emsp('FR', 'BBB');
    const token = tokenBody('FR', 'BBB', 'NEW-1', { whitelist: 'NEVER' });
    answer(b, 'NEW-1', info(token, 'ALLOWED', { authorization_reference: 'REF-NEW' }));
    expect(await decided({ uid: 'NEW-1', type: 'RFID', location_id: 'LOC-9' })).toEqual({ allowed: 'ALLOWED', token, authorization_reference: 'REF-NEW', decided_by: 'REAL_TIME' });
    expect(a.emsp.authorizeRequests()).toHaveLength(1);
    expect(b.emsp.authorizeRequests()[0]!.body).toEqual({ location_id: 'LOC-9' });
    answer(a, 'NEW-1', 'hang');
    const started = Date.now();
    expect(await decided({ uid: 'NEW-1' })).toEqual(expect.objectContaining({ allowed: 'ALLOWED', decided_by: 'REAL_TIME' }));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it('when no eMSP knows it, then NOT_ALLOWED (REAL_TIME); an answer for a party the eMSP does not hold is ignored; none reachable → OFFLINE_FALLBACK', async () => {
    const a = await emsp('DE', 'AAA');
    const b = await emsp('FR', 'BBB');
    expect(await decided({ uid: 'NOBODY' })).toEqual({ allowed: 'NOT_ALLOWED', decided_by: 'REAL_TIME' });
    answer(a, 'STOLEN', info(tokenBody('FR', 'BBB', 'STOLEN')));
    expect(await decided({ uid: 'STOLEN' })).toEqual({ allowed: 'NOT_ALLOWED', decided_by: 'REAL_TIME' });
    answer(b, 'BLOCKED-1', info(tokenBody('FR', 'BBB', 'BLOCKED-1'), 'BLOCKED'));
    expect(await decided({ uid: 'BLOCKED-1' })).toEqual(expect.objectContaining({ allowed: 'BLOCKED', decided_by: 'REAL_TIME' }));
    answer(a, 'GONE', 'hang');
    await b.emsp.stop();
    expect(await decided({ uid: 'GONE' })).toEqual({ allowed: 'NOT_ALLOWED', decided_by: 'OFFLINE_FALLBACK' });
  });

  it('when no eMSP is registered, then NOT_ALLOWED from the cache', async () => {
    expect(await decided({ uid: 'ALONE' })).toEqual({ allowed: 'NOT_ALLOWED', decided_by: 'CACHE' });
  });
});

describe('POST /admin/authorize: authorization_reference kept for the session', () => {
  it('when a real-time ALLOWED carried a reference, then a session for that token at that location without one gets it; one that names its own keeps it', async () => {
    const e = await emsp('DE', 'AAA');
    await putSessionPlace(node);
    const token = await cache(e, 'AAA-RFID-1', { whitelist: 'NEVER', contract_id: cdrToken().contract_id });
    answer(e, 'AAA-RFID-1', info(token, 'ALLOWED', { authorization_reference: 'AUTH-REF-7' }));
    expect((await decided({ uid: 'aaa-rfid-1', location_id: 'loc-1' })).authorization_reference).toBe('AUTH-REF-7');
    const admin = (id: string, body: unknown) => request(node.baseUrl).put(`/admin/sessions/${id}`).set('Authorization', `Bearer ${node.adminToken}`).send(body as object);
    const filled = await admin('S-1', sessionBody('S-1', { auth_method: 'AUTH_REQUEST' }));
    expectOcpi(filled, 201, 1000);
    expect(filled.body.data.authorization_reference).toBe('AUTH-REF-7');
    const own = await admin('S-2', sessionBody('S-2', { authorization_reference: 'CSMS-REF' }));
    expect(own.body.data.authorization_reference).toBe('CSMS-REF');
    const otherToken = await admin('S-3', sessionBody('S-3', { cdr_token: cdrToken('DE', 'AAA', { uid: 'OTHER' }) }));
    expect(otherToken.body.data.authorization_reference).toBeUndefined();
    const longAfter = await admin('S-4', sessionBody('S-4', { start_date_time: new Date(Date.now() + 2 * 86_400_000).toISOString() }));
    expect(longAfter.body.data.authorization_reference).toBeUndefined();
  });
});

describe('POST /admin/authorize: requests', () => {
  it.each([
    ['no uid', {}],
    ['an unknown field', { uid: 'X', colour: 'red' }],
    ['a bad type', { uid: 'X', type: 'CARD' }],
    ['a uid over 36 characters', { uid: 'X'.repeat(37) }],
    ['evse_uids without location_id', { uid: 'X', evse_uids: ['E1'] }],
    ['evse_uids not a list', { uid: 'X', location_id: 'L', evse_uids: 'E1' }],
  ])('when the body has %s, then 400 / 2001', async (_name, body) => {
    expectOcpi(await authorizeCall(body), 400, 2001);
  });

  it('when a partner token or none is used, then 401 as on the rest of the admin API; GET is 405', async () => {
    const e = await emsp();
    expectOcpi(await authorizeAs(e.auth, { uid: 'X' }), 401, 2000);
    expectOcpi(await request(node.baseUrl).post('/admin/authorize').send({ uid: 'X' }), 401, 2000);
    expectOcpi(await request(node.baseUrl).get('/admin/authorize').set('Authorization', `Bearer ${node.adminToken}`), 405, 2000);
  });
});
