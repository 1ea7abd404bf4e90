import request from 'supertest';
import { tokenHeader } from '../../helpers/fake-emsp';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { expectToken, expectWritten, registerEmsp, tokenAdmin, tokenBody, tokenReceiver, TokenList, type RegisteredEmsp } from './token-api';

/** The Tokens RECEIVER (digest §3.5.1) with two registered eMSPs of different parties. */

const db = databasePerSuite();
let node: TestApp;
let a: RegisteredEmsp;
let b: RegisteredEmsp;
let asA: ReturnType<typeof tokenReceiver>;
let asB: ReturnType<typeof tokenReceiver>;

beforeEach(async () => {
  node = await startTestApp(db);
  a = await registerEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
  b = await registerEmsp(node, { countryCode: 'FR', partyId: 'BBB' });
  asA = tokenReceiver(node, a.auth);
  asB = tokenReceiver(node, b.auth);
});

afterEach(async () => {
  await a?.emsp.stop();
  await b?.emsp.stop();
  await node?.close();
});

const storedTokens = () => db.prisma.token.count();

describe('PUT, GET and PATCH of a token', () => {
  it('when an eMSP PUTs a new token, then 201 with an ETag, and GET answers it as sent with the same ETag', async () => {
    const body = tokenBody('DE', 'AAA', '012345678', { energy_contract: { supplier_name: 'Green Power', contract_id: 'GP-1' }, language: 'de', group_id: 'G1', default_profile_type: 'GREEN' });
    const etag = expectWritten(await asA.put('/DE/AAA/012345678', body), 201);
    expect(etag).toBe('"1"');
    const got = expectToken(await asA.get('/DE/AAA/012345678'));
    expect(got.data).toEqual({ ...body, last_updated: '2026-03-01T10:00:00.000Z' });
    expect(Object.keys(got.data)).toEqual([
      'country_code', 'party_id', 'uid', 'type', 'contract_id', 'visual_number', 'issuer', 'group_id', 'valid', 'whitelist',
      'language', 'default_profile_type', 'energy_contract', 'last_updated',
    ]);
    expect(got.etag).toBe(etag);
    const res = await asA.get('/DE/AAA/012345678');
    expect(res.headers['ocpi-from-country-code']).toBe('NL');
    expect(res.headers['ocpi-from-party-id']).toBe('CPO');
  });

  it('when the same token is PUT again changed, then 200 and a new ETag; unchanged, then 200 and the same ETag', async () => {
    expectWritten(await asA.put('/DE/AAA/T1', tokenBody('DE', 'AAA', 'T1')), 201);
    const replaced = expectWritten(await asA.put('/DE/AAA/T1', tokenBody('DE', 'AAA', 'T1', { valid: false, last_updated: '2026-03-01T11:00:00Z' })), 200);
    expect(replaced).toBe('"2"');
    const again = expectWritten(await asA.put('/DE/AAA/T1', tokenBody('DE', 'AAA', 'T1', { valid: false, last_updated: '2026-03-01T11:00:00Z' })), 200);
    expect(again).toBe('"2"');
    // A PUT is a full replace: the optional field left out is gone.
    expectWritten(await asA.put('/DE/AAA/T1', tokenBody('DE', 'AAA', 'T1', { visual_number: undefined, last_updated: '2026-03-01T12:00:00Z' })), 200);
    expect(expectToken(await asA.get('/DE/AAA/T1')).data.visual_number).toBeUndefined();
  });

  it('when optional fields are null, then they are stored as not set', async () => {
    expectWritten(await asA.put('/DE/AAA/N1', tokenBody('DE', 'AAA', 'N1', { visual_number: null, energy_contract: { supplier_name: 'S', contract_id: null } })), 201);
    const { data } = expectToken(await asA.get('/DE/AAA/N1'));
    expect(data.visual_number).toBeUndefined();
    expect(data.energy_contract).toEqual({ supplier_name: 'S' });
  });

  it('when an eMSP PATCHes valid=false, then only that field and last_updated change, with a new ETag', async () => {
    const first = expectWritten(await asA.put('/DE/AAA/P1', tokenBody('DE', 'AAA', 'P1')), 201);
    const patched = expectWritten(await asA.patch('/DE/AAA/P1', { valid: false, last_updated: '2026-03-01T10:30:00Z' }), 200);
    expect(patched).not.toBe(first);
    const { data, etag } = expectToken(await asA.get('/DE/AAA/P1'));
    expect(data).toEqual(tokenBody('DE', 'AAA', 'P1', { valid: false, last_updated: '2026-03-01T10:30:00.000Z' }));
    expect(etag).toBe(patched);
  });

  it('when a PATCH carries a stale If-Match, then 412 and nothing changes; the current one, then 200', async () => {
    const first = expectWritten(await asA.put('/DE/AAA/P2', tokenBody('DE', 'AAA', 'P2')), 201);
    const second = expectWritten(await asA.patch('/DE/AAA/P2', { whitelist: 'NEVER', last_updated: '2026-03-01T10:10:00Z' }), 200);
    expectOcpi(await asA.patch('/DE/AAA/P2', { valid: false, last_updated: '2026-03-01T10:20:00Z' }, { 'If-Match': first }), 412, 2000);
    expect(expectToken(await asA.get('/DE/AAA/P2')).data.valid).toBe(true);
    expectWritten(await asA.patch('/DE/AAA/P2', { valid: false, last_updated: '2026-03-01T10:20:00Z' }, { 'If-Match': second }), 200);
    expect(expectToken(await asA.get('/DE/AAA/P2')).data.valid).toBe(false);
  });

  it('when a GET carries the current ETag in If-None-Match, then 304', async () => {
    const etag = expectWritten(await asA.put('/DE/AAA/C1', tokenBody('DE', 'AAA', 'C1')), 201);
    const res = await asA.get('/DE/AAA/C1', { 'If-None-Match': etag });
    expect(res.status).toBe(304);
  });

  it('when a PUT or PATCH carries a last_updated older than the stored one, then 409 and nothing changes', async () => {
    expectWritten(await asA.put('/DE/AAA/S1', tokenBody('DE', 'AAA', 'S1', { last_updated: '2026-03-01T10:00:00Z' })), 201);
    expectOcpi(await asA.patch('/DE/AAA/S1', { valid: false, last_updated: '2026-03-01T09:59:59.999Z' }), 409, 2000);
    expectOcpi(await asA.put('/DE/AAA/S1', tokenBody('DE', 'AAA', 'S1', { valid: false, last_updated: '2026-03-01T09:00:00Z' })), 409, 2000);
    const { data, etag } = expectToken(await asA.get('/DE/AAA/S1'));
    expect(data.valid).toBe(true);
    expect(etag).toBe('"1"');
  });

  it('when a PATCH has no last_updated, or sets a field to null, then 400 / 2001 and nothing changes', async () => {
    expectWritten(await asA.put('/DE/AAA/S2', tokenBody('DE', 'AAA', 'S2')), 201);
    expectOcpi(await asA.patch('/DE/AAA/S2', { valid: false }), 400, 2001);
    expectOcpi(await asA.patch('/DE/AAA/S2', { visual_number: null, last_updated: '2026-03-01T11:00:00Z' }), 400, 2001);
    expect(expectToken(await asA.get('/DE/AAA/S2')).etag).toBe('"1"');
  });

  it('when an unknown token is read or PATCHed, then 404 / 2004 and nothing is stored', async () => {
    expectOcpi(await asA.get('/DE/AAA/NOPE'), 404, 2004);
    expectOcpi(await asA.patch('/DE/AAA/NOPE', { valid: false, last_updated: '2026-03-01T11:00:00Z' }), 404, 2004);
    expect(await storedTokens()).toBe(0);
  });

  it('when ids differ only in case, then they name the same token', async () => {
    expectWritten(await asA.put('/de/aaa/abc-1', tokenBody('DE', 'AAA', 'ABC-1')), 201);
    expect(expectToken(await asA.get('/DE/AAA/Abc-1')).data.uid).toBe('ABC-1');
    expectWritten(await asA.patch('/De/aAa/ABC-1', { valid: false, last_updated: '2026-03-01T11:00:00Z' }), 200);
    expect(await storedTokens()).toBe(1);
  });
});

describe('the type query parameter', () => {
  it('when type is absent, then RFID is meant; the same uid with another type is another token', async () => {
    expectWritten(await asA.put('/DE/AAA/U1', tokenBody('DE', 'AAA', 'U1')), 201);
    expectWritten(await asA.put('/DE/AAA/U1?type=APP_USER', tokenBody('DE', 'AAA', 'U1', { type: 'APP_USER', whitelist: 'NEVER' })), 201);
    expect(expectToken(await asA.get('/DE/AAA/U1')).data.type).toBe('RFID');
    expect(expectToken(await asA.get('/DE/AAA/U1?type=RFID')).data.type).toBe('RFID');
    const app = expectToken(await asA.get('/DE/AAA/U1?type=APP_USER')).data;
    expect(app).toMatchObject({ type: 'APP_USER', whitelist: 'NEVER' });
    expectWritten(await asA.patch('/DE/AAA/U1?type=APP_USER', { valid: false, last_updated: '2026-03-01T11:00:00Z' }), 200);
    expect(expectToken(await asA.get('/DE/AAA/U1')).data.valid).toBe(true);
    expectOcpi(await asA.get('/DE/AAA/U1?type=OTHER'), 404, 2004);
    expect(await storedTokens()).toBe(2);
  });

  it('when type is not a TokenType (enums are case-sensitive), then 400 / 2001', async () => {
    expectOcpi(await asA.get('/DE/AAA/U1?type=rfid'), 400, 2001);
    expectOcpi(await asA.put('/DE/AAA/U1?type=CARD', tokenBody('DE', 'AAA', 'U1')), 400, 2001);
    expect(await storedTokens()).toBe(0);
  });
});

describe('invalid writes store nothing', () => {
  it.each([
    ['country_code', tokenBody('FR', 'AAA', 'M1')],
    ['party_id', tokenBody('DE', 'XYZ', 'M1')],
    ['uid', tokenBody('DE', 'AAA', 'M2')],
    ['type (query absent: RFID)', tokenBody('DE', 'AAA', 'M1', { type: 'APP_USER' })],
  ])('when the body %s differs from the path, then 400 / 2001', async (_field, body) => {
    expectOcpi(await asA.put('/DE/AAA/M1', body), 400, 2001);
    expect(await storedTokens()).toBe(0);
  });

  it('when a PATCH body names another uid, then 400 / 2001 and nothing changes', async () => {
    expectWritten(await asA.put('/DE/AAA/M1', tokenBody('DE', 'AAA', 'M1')), 201);
    expectOcpi(await asA.patch('/DE/AAA/M1', { uid: 'M2', valid: false, last_updated: '2026-03-01T11:00:00Z' }), 400, 2001);
    expect(expectToken(await asA.get('/DE/AAA/M1')).etag).toBe('"1"');
  });

  it.each([
    ['a required field missing', tokenBody('DE', 'AAA', 'I1', { issuer: undefined })],
    ['a bad enum value', tokenBody('DE', 'AAA', 'I1', { whitelist: 'SOMETIMES' })],
    ['an unknown field', tokenBody('DE', 'AAA', 'I1', { colour: 'red' })],
    ['a contract_id over 36 characters', tokenBody('DE', 'AAA', 'I1', { contract_id: 'C'.repeat(37) })],
    ['a visual_number over 64 characters', tokenBody('DE', 'AAA', 'I1', { visual_number: 'V'.repeat(65) })],
    ['a language of 3 characters', tokenBody('DE', 'AAA', 'I1', { language: 'deu' })],
    ['a bad default_profile_type', tokenBody('DE', 'AAA', 'I1', { default_profile_type: 'SLOW' })],
    ['an energy_contract without supplier_name', tokenBody('DE', 'AAA', 'I1', { energy_contract: { contract_id: 'X' } })],
    ['valid as a string', tokenBody('DE', 'AAA', 'I1', { valid: 'true' })],
    ['last_updated with an offset', tokenBody('DE', 'AAA', 'I1', { last_updated: '2026-03-01T10:00:00+01:00' })],
  ])('when the body has %s, then 400 / 2001 and nothing is stored', async (_what, body) => {
    expectOcpi(await asA.put('/DE/AAA/I1', body), 400, 2001);
    expect(await storedTokens()).toBe(0);
  });

  it('when the body is not JSON, then 400 and nothing is stored', async () => {
    const res = await request(node.baseUrl).put('/ocpi/2.2.1/tokens/DE/AAA/J1').set('Authorization', a.auth).set('Content-Type', 'application/json').send('{"uid":');
    expect(res.status).toBe(400);
    expect(await storedTokens()).toBe(0);
  });
});

describe('each eMSP reads and writes only under its own parties', () => {
  it('when A reads, PUTs or PATCHes under B\'s party, then 404 / 2000 whether or not the token exists, and nothing is stored', async () => {
    expectWritten(await asB.put('/FR/BBB/B1', tokenBody('FR', 'BBB', 'B1')), 201);
    expectOcpi(await asA.get('/FR/BBB/B1'), 404, 2000);
    expectOcpi(await asA.get('/FR/BBB/NONE'), 404, 2000);
    expectOcpi(await asA.put('/FR/BBB/B2', tokenBody('FR', 'BBB', 'B2')), 404, 2000);
    expectOcpi(await asA.put('/FR/BBB/B1', tokenBody('FR', 'BBB', 'B1', { valid: false, last_updated: '2026-03-01T12:00:00Z' })), 404, 2000);
    expectOcpi(await asA.patch('/FR/BBB/B1', { valid: false, last_updated: '2026-03-01T12:00:00Z' }), 404, 2000);
    expect(await storedTokens()).toBe(1);
    const { data, etag } = expectToken(await asB.get('/FR/BBB/B1'));
    expect(data.valid).toBe(true);
    expect(etag).toBe('"1"');
  });

  it('when A PUTs a body of B\'s party under its own path, then 400 / 2001 and nothing is stored', async () => {
    expectOcpi(await asA.put('/DE/AAA/X1', tokenBody('FR', 'BBB', 'X1')), 400, 2001);
    expect(await storedTokens()).toBe(0);
  });

  it('when a token was written, then the row records the partner that wrote it', async () => {
    expectWritten(await asA.put('/DE/AAA/W1', tokenBody('DE', 'AAA', 'W1')), 201);
    const row = await db.prisma.token.findFirstOrThrow();
    expect(row).toMatchObject({ countryCode: 'DE', partyId: 'AAA', uidKey: 'W1', type: 'RFID', partnerId: a.id });
  });
});

describe('who may call the receiver', () => {
  it('when an anonymous caller, the admin token or a token A calls it, then 401', async () => {
    const slot = await request(node.baseUrl).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
    for (const auth of [undefined, `Bearer ${node.adminToken}`, tokenHeader(slot.body.data.token_a), tokenHeader('no-such-token')]) {
      const as = tokenReceiver(node, auth);
      expectOcpi(await as.get('/DE/AAA/T1'), 401, 2000);
      expectOcpi(await as.put('/DE/AAA/T1', tokenBody('DE', 'AAA', 'T1')), 401, 2000);
    }
    expect(await storedTokens()).toBe(0);
  });

  it('when an NSP calls it, then 401, and its version details do not list tokens; an eMSP\'s list tokens as RECEIVER', async () => {
    const nsp = await registerEmsp(node, { countryCode: 'BE', partyId: 'NSP' }, 'NSP');
    try {
      expectOcpi(await tokenReceiver(node, nsp.auth).put('/BE/NSP/T1', tokenBody('BE', 'NSP', 'T1')), 401, 2000);
      const nspDetails = await request(node.baseUrl).get('/ocpi/2.2.1').set('Authorization', nsp.auth);
      expectOcpi(nspDetails, 200, 1000);
      expect(nspDetails.body.data.endpoints.map((e: { identifier: string }) => e.identifier)).not.toContain('tokens');
    } finally {
      await nsp.emsp.stop();
    }
    const details = await request(node.baseUrl).get('/ocpi/2.2.1').set('Authorization', a.auth);
    expectOcpi(details, 200, 1000);
    expect(details.body.data.endpoints).toContainEqual({ identifier: 'tokens', role: 'RECEIVER', url: `${node.baseUrl}/ocpi/2.2.1/tokens` });
    expect(await storedTokens()).toBe(0);
  });

  it('when a method OCPI does not define is used, then 405 with Allow', async () => {
    const res = await asA.delete('/DE/AAA/T1');
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET, PUT, PATCH');
  });
});

describe('the admin API reads what partners pushed', () => {
  it('when the operator GETs a token, then it is served with its ETag; the list holds it', async () => {
    const etag = expectWritten(await asA.put('/DE/AAA/AD1?type=OTHER', tokenBody('DE', 'AAA', 'AD1', { type: 'OTHER' })), 201);
    const admin = tokenAdmin(node);
    const one = await admin.get('/de/aaa/ad1?type=OTHER');
    expect(expectToken(one)).toEqual({ data: tokenBody('DE', 'AAA', 'AD1', { type: 'OTHER', last_updated: '2026-03-01T10:00:00.000Z' }), etag });
    expectOcpi(await admin.get('/DE/AAA/AD1'), 404, 2004);
    const list = await admin.get('');
    expectOcpi(list, 200, 1000, TokenList);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ uid: 'AD1', type: 'OTHER' });
  });
});
