import request from 'supertest';
import { cdrBody } from '../../helpers/cdr-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ids, linkParams, ManualClock, nextPath } from '../locations/location-api';
import { ADMIN_CDRS, cdrAdmin, expectCdrList, storeCdr } from './cdr-api';

/** `GET /admin/cdrs`: every CDR, with the OCPI list rules (MAX_PAGE_SIZE 3); date filters use the creation time. */

const MAX = 3;
const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof cdrAdmin>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock, env: { MAX_PAGE_SIZE: String(MAX) } });
  admin = cdrAdmin(node);
});
afterEach(async () => {
  await node.close();
});

/** Creates C1..Cn one second apart, alternating the token's party; returns each creation time by id. */
async function seed(count: number): Promise<Record<string, string>> {
  const stamps: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    stamps[`C${i}`] = clock.advance(1000);
    await storeCdr(node, cdrBody(`C${i}`, i % 2 ? { countryCode: 'DE', partyId: 'AAA' } : { countryCode: 'FR', partyId: 'BBB' }));
  }
  return stamps;
}

async function followAll(first: string) {
  const seen: string[] = [];
  const totals: string[] = [];
  let path: string | undefined = first;
  for (let pages = 0; path !== undefined && pages < 20; pages++) {
    const res = await request(node.baseUrl).get(path).set('Authorization', `Bearer ${node.adminToken}`);
    expectCdrList(res);
    seen.push(...ids(res));
    totals.push(res.headers['x-total-count'] as string);
    path = nextPath(res);
  }
  return { seen, totals };
}

describe('GET /admin/cdrs', () => {
  it('when the operator follows Link to the end, then every CDR of every party comes once, in creation order, with X-Total-Count and X-Limit', async () => {
    await seed(7);
    const first = await admin.get('');
    expectCdrList(first);
    expect(first.headers['x-limit']).toBe(String(MAX));
    expect(first.headers.link).toMatch(new RegExp(`^<${node.baseUrl}${ADMIN_CDRS}\\?[^>]+>; rel="next"$`));
    const { seen, totals } = await followAll(ADMIN_CDRS);
    expect(seen).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7']);
    expect(totals).toEqual(['7', '7', '7']);
  });

  it('when CDRs are added while the operator pages, then each CDR still comes exactly once (new ones on the last page)', async () => {
    await seed(4);
    const first = await admin.get('');
    expectCdrList(first);
    expect(ids(first)).toEqual(['C1', 'C2', 'C3']);
    clock.advance(1000);
    await storeCdr(node, cdrBody('C5'));
    const { seen } = await followAll(nextPath(first)!);
    expect(seen).toEqual(['C4', 'C5']);
  });

  it('when date_from and date_to are given, then they filter on the creation time (inclusive, exclusive) and Link keeps them', async () => {
    const stamps = await seed(6);
    const res = await admin.get(`?date_from=${stamps.C2}&date_to=${stamps.C6}&limit=2`);
    expectCdrList(res);
    expect(ids(res)).toEqual(['C2', 'C3']);
    expect(res.headers['x-total-count']).toBe('4');
    const params = linkParams(res);
    expect([params.get('date_from'), params.get('date_to'), params.get('offset')]).toEqual([stamps.C2, stamps.C6, '2']);
    const { seen } = await followAll(`${ADMIN_CDRS}?date_from=${stamps.C2}&date_to=${stamps.C6}&limit=2`);
    expect(seen).toEqual(['C2', 'C3', 'C4', 'C5']);
  });

  it('when offset is given, then the list starts there; past the end it is empty with the full X-Total-Count', async () => {
    await seed(5);
    const res = await admin.get('?offset=3');
    expectCdrList(res);
    expect(ids(res)).toEqual(['C4', 'C5']);
    const past = await admin.get('?offset=9');
    expectCdrList(past);
    expect(past.body.data).toEqual([]);
    expect(past.headers['x-total-count']).toBe('5');
    expect(past.headers.link).toBeUndefined();
  });

  it('when there are no CDRs, then an empty list with X-Total-Count 0 and no Link', async () => {
    const res = await admin.get('');
    expectCdrList(res);
    expect(res.body.data).toEqual([]);
    expect(res.headers['x-total-count']).toBe('0');
    expect(res.headers.link).toBeUndefined();
  });

  it.each([
    ['an unknown parameter (a typo must not widen the list)', '?date_form=2027-01-01T00:00:00Z', 'date_form'],
    ['an unknown owner filter', '?party_id=AAA', 'party_id'],
    ['a negative offset', '?offset=-1', 'offset'],
    ['a date_from with an offset', '?date_from=2027-01-01T00:00:00%2B01:00', 'date_from'],
    ['limit given twice', '?limit=1&limit=2', 'limit'],
  ])('when the query has %s, then 400 / 2001 naming it', async (_case, query, name) => {
    await seed(1);
    const res = await admin.get(query);
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(name);
  });
});
