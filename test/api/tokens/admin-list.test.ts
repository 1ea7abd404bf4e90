import request from 'supertest';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { expectToken, expectWritten, registerEmsp, tokenAdmin, tokenBody, TokenList, tokenReceiver, type RegisteredEmsp } from './token-api';

/** `GET /admin/tokens` (the shared list rules, MAX_PAGE_SIZE 2) and `GET /admin/tokens/{cc}/{pid}/{uid}?type=`. */

const db = databasePerSuite();
let node: TestApp;
let a: RegisteredEmsp;

beforeEach(async () => {
  node = await startTestApp(db, { env: { MAX_PAGE_SIZE: '2' } });
  a = await registerEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
  const asA = tokenReceiver(node, a.auth);
  for (const [uid, hour] of [['L1', '10'], ['L2', '11'], ['L3', '12'], ['L4', '13'], ['L5', '14']] as const) {
    expectWritten(await asA.put(`/DE/AAA/${uid}`, tokenBody('DE', 'AAA', uid, { last_updated: `2026-03-01T${hour}:00:00Z` })), 201);
  }
});

afterEach(async () => {
  await a?.emsp.stop();
  await node?.close();
});

describe('GET /admin/tokens', () => {
  it('when the list is longer than a page, then Link pages through every token once, with X-Total-Count and X-Limit', async () => {
    const admin = tokenAdmin(node);
    let res = await admin.get('');
    const seen: string[] = [];
    for (;;) {
      expectOcpi(res, 200, 1000, TokenList);
      expect(res.headers['x-total-count']).toBe('5');
      expect(res.headers['x-limit']).toBe('2');
      seen.push(...res.body.data.map((t: { uid: string }) => t.uid));
      const next = /^<([^>]+)>; rel="next"$/.exec(res.headers.link ?? '')?.[1];
      if (!next) break;
      expect(next.startsWith(`${node.baseUrl}/admin/tokens?`)).toBe(true);
      res = await admin.follow(next);
    }
    expect(seen).toEqual(['L1', 'L2', 'L3', 'L4', 'L5']);
  });

  it('when date_from and date_to are given, then they filter on the eMSP\'s last_updated (from inclusive, to exclusive)', async () => {
    const res = await tokenAdmin(node).get('?date_from=2026-03-01T11:00:00Z&date_to=2026-03-01T13:00:00Z');
    expectOcpi(res, 200, 1000, TokenList);
    expect(res.body.data.map((t: { uid: string }) => t.uid)).toEqual(['L2', 'L3']);
    expect(res.headers['x-total-count']).toBe('2');
  });

  it('when an unknown parameter is given, then 400 / 2001', async () => {
    expectOcpi(await tokenAdmin(node).get('?party_id=AAA'), 400, 2001);
  });

  it('when the operator GETs one token with If-None-Match of its ETag, then 304; unknown, then 404 / 2004', async () => {
    const { etag } = expectToken(await tokenAdmin(node).get('/DE/AAA/L3'));
    expect((await tokenAdmin(node).get('/DE/AAA/L3', { 'If-None-Match': etag })).status).toBe(304);
    expectOcpi(await tokenAdmin(node).get('/DE/AAA/L9'), 404, 2004);
    expectOcpi(await tokenAdmin(node).get('/DE/AAA/L3?type=APP_USER'), 404, 2004);
    expectOcpi(await tokenAdmin(node).get('/DE/AAA/L3?type=bad'), 400, 2001);
  });

  it('when a partner token is used on the admin API, then 401', async () => {
    const res = await tokenReceiver(node, a.auth).get('/DE/AAA/L3');
    expectToken(res);
    const admin = await request(node.baseUrl).get('/admin/tokens').set('Authorization', a.auth);
    expectOcpi(admin, 401, 2000);
  });
});
