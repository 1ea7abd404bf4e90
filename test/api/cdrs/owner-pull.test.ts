import request from 'supertest';
import type { Response } from 'supertest';
import { Type } from '@sinclair/typebox';
import { cdrBody, creditBody } from '../../helpers/cdr-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ids, ManualClock, nextPath, registrationToken } from '../locations/location-api';
import { CDRS, cdrSender, expectCdrList, registeredEmsp, storeCdr } from './cdr-api';

/**
 * `GET /ocpi/2.2.1/cdrs` with two registered eMSPs of different parties: each sees exactly the CDRs whose
 * cdr_token belongs to its own party, through every filter and page (MAX_PAGE_SIZE 3).
 */

const MAX = 3;
const AAA = { countryCode: 'DE', partyId: 'AAA' };
const BBB = { countryCode: 'FR', partyId: 'BBB' };
const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let aaaAuth: string;
let aaa: ReturnType<typeof cdrSender>;
let bbb: ReturnType<typeof cdrSender>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock, env: { MAX_PAGE_SIZE: String(MAX), OPEN_DATA: 'true' } });
  aaaAuth = await registeredEmsp(node, AAA);
  aaa = cdrSender(node, aaaAuth);
  bbb = cdrSender(node, await registeredEmsp(node, BBB));
});
afterEach(async () => {
  await node.close();
});

/** A1..An for DE/AAA and B1..Bm for FR/BBB, interleaved one second apart; returns each creation time by id. */
async function seed(a: number, b: number): Promise<Record<string, string>> {
  const stamps: Record<string, string> = {};
  for (let i = 1; i <= Math.max(a, b); i++) {
    for (const [prefix, count, party] of [['A', a, AAA], ['B', b, BBB]] as const) {
      if (i > count) continue;
      stamps[`${prefix}${i}`] = clock.advance(1000);
      await storeCdr(node, cdrBody(`${prefix}${i}`, party));
    }
  }
  return stamps;
}

async function followAll(sender: ReturnType<typeof cdrSender>, first: string) {
  const seen: string[] = [];
  const pages: Response[] = [];
  let path: string | undefined = first;
  while (path !== undefined && pages.length < 20) {
    const res = await sender.follow(path);
    expectCdrList(res);
    pages.push(res);
    seen.push(...ids(res));
    path = nextPath(res);
  }
  return { seen, pages };
}

describe('each eMSP pulls only its own CDRs', () => {
  it('when both eMSPs follow Link to the end, then each gets exactly its own CDRs once, X-Total-Count counting only those', async () => {
    await seed(7, 4);
    const a = await followAll(aaa, CDRS);
    expect(a.seen).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7']);
    expect(a.pages.map((p) => p.headers['x-total-count'])).toEqual(['7', '7', '7']);
    expect(a.pages[0]!.headers.link).toMatch(new RegExp(`^<${node.baseUrl}${CDRS}\\?[^>]+>; rel="next"$`));
    const b = await followAll(bbb, CDRS);
    expect(b.seen).toEqual(['B1', 'B2', 'B3', 'B4']);
    expect(b.pages.map((p) => p.headers['x-total-count'])).toEqual(['4', '4']);
    for (const page of [...a.pages, ...b.pages]) expect(page.headers['x-limit']).toBe(String(MAX));
  });

  it('when date_from and date_to are given, then they filter each eMSP\'s own CDRs on the creation time, inclusive and exclusive', async () => {
    const stamps = await seed(4, 4);
    const a = await aaa.list(`date_from=${stamps.A2}&date_to=${stamps.A4}`);
    expectCdrList(a);
    expect(ids(a)).toEqual(['A2', 'A3']);
    expect(a.headers['x-total-count']).toBe('2');
    const b = await bbb.list(`date_from=${stamps.A2}&date_to=${stamps.A4}`);
    expectCdrList(b);
    expect(ids(b)).toEqual(['B2', 'B3']);
    const { seen } = await followAll(aaa, `${CDRS}?date_from=${stamps.A1}&limit=2`);
    expect(seen).toEqual(['A1', 'A2', 'A3', 'A4']);
    const none = await bbb.list(`date_from=${stamps.B4}&date_to=${stamps.B4}`);
    expectCdrList(none);
    expect(none.body.data).toEqual([]);
  });

  it('when a CDR\'s token names the party in lower case, then it still belongs to that party (CiString)', async () => {
    await storeCdr(node, cdrBody('LOWER', { countryCode: 'de', partyId: 'aaa' }));
    const a = await aaa.list();
    expectCdrList(a);
    expect(ids(a)).toEqual(['LOWER']);
    expect(a.body.data[0].cdr_token).toMatchObject({ country_code: 'de', party_id: 'aaa' });
    const b = await bbb.list();
    expectCdrList(b);
    expect(b.body.data).toEqual([]);
  });

  it('when a CDR is credited, then the credit CDR goes to the same eMSP only', async () => {
    const original = cdrBody('PAID', AAA);
    await storeCdr(node, original);
    await storeCdr(node, creditBody(original));
    const a = await aaa.list();
    expectCdrList(a);
    expect(ids(a)).toEqual(['PAID', 'PAID-C']);
    const b = await bbb.list();
    expectCdrList(b);
    expect(b.body.data).toEqual([]);
  });

  it('when a registered eMSP owns no CDR, then its list is empty with X-Total-Count 0', async () => {
    await seed(2, 0);
    const b = await bbb.list();
    expectCdrList(b);
    expect(b.body.data).toEqual([]);
    expect(b.headers['x-total-count']).toBe('0');
    expect(b.headers.link).toBeUndefined();
  });
});

describe('no filter shows another eMSP\'s CDR', () => {
  it('when an eMSP tries date windows, offsets, limits, owner-like parameters and a forged cursor, then the other\'s CDR never appears', async () => {
    const stamps = await seed(3, 3);
    const cursor = (offset: number, key: string) => Buffer.from(JSON.stringify({ o: offset, k: key })).toString('base64url');
    const queries = [
      '', 'offset=0&limit=1000', 'offset=1', 'offset=2&limit=1', `date_from=${stamps.B1}`, `date_to=${stamps.B3}`,
      `date_from=${stamps.B2}&date_to=${stamps.A3}`, 'country_code=FR&party_id=BBB', 'cdr_token.party_id=BBB', 'id=B1',
      `offset=0&cursor=${cursor(0, '0')}`, `offset=1&cursor=${cursor(1, '1')}`,
    ];
    for (const query of queries) {
      const res = await aaa.list(query);
      expectCdrList(res);
      expect({ query, foreign: ids(res).filter((id) => !id.startsWith('A')) }).toEqual({ query, foreign: [] });
      expect(Number(res.headers['x-total-count'])).toBeLessThanOrEqual(3);
    }
  });
});

describe('who may pull', () => {
  const Endpoints = Type.Object({ endpoints: Type.Array(Type.Object({ identifier: Type.String(), role: Type.String(), url: Type.String() })) }, { additionalProperties: true });

  it('when a registered eMSP reads version details, then cdrs is listed as SENDER; an anonymous open-data caller does not see it', async () => {
    const partner = await request(node.baseUrl).get('/ocpi/2.2.1').set('Authorization', aaaAuth);
    expectOcpi(partner, 200, 1000, Endpoints);
    expect(partner.body.data.endpoints).toContainEqual({ identifier: 'cdrs', role: 'SENDER', url: `${node.baseUrl}${CDRS}` });
    const anonymous = await request(node.baseUrl).get('/ocpi/2.2.1');
    expectOcpi(anonymous, 200, 1000, Endpoints);
    expect(anonymous.body.data.endpoints.map((e: { identifier: string }) => e.identifier)).not.toContain('cdrs');
  });

  it('when an anonymous caller, a token A or the admin token pulls, then 401 (CDRs are never open data)', async () => {
    await seed(1, 1);
    for (const authorization of [undefined, await registrationToken(node), `Bearer ${node.adminToken}`]) {
      const res = await cdrSender(node, authorization).list();
      expectOcpi(res, 401, 2000);
      expect(res.body.data).toBeUndefined();
    }
  });
});
