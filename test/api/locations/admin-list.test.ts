import request from 'supertest';
import type { Response } from 'supertest';
import { Location } from '../../../src/modules/locations/locations.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ADMIN, adminApi, ids, linkParams, ManualClock, nextPath, registeredPartner, registrationToken } from './location-api';

/** Issue 8 item 5: `GET /admin/locations` lists every location with the OCPI list rules (MAX_PAGE_SIZE 3). */

const MAX = 3;

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof adminApi>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock, env: { MAX_PAGE_SIZE: String(MAX), OPEN_DATA: 'true' } });
  admin = adminApi(node);
});
afterEach(async () => {
  await node.close();
});

/** Creates L1..Ln one second apart, every even one unpublished; returns each last_updated by id. */
async function seed(count: number): Promise<Record<string, string>> {
  const stamps: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    const id = `L${i}`;
    stamps[id] = clock.advance(1000);
    const body = locationBody(id, { publish: i % 2 === 1, evses: [evseBody(`${id}-E1`, { connectors: [connectorBody('1')] })] });
    expectOcpi(await admin.put(`/${id}`, body), 201, 1000, Location);
  }
  return stamps;
}

const list = (query = '') => admin.get(query ? `?${query}` : '');

function expectValidList(res: Response): void {
  expectOcpi(res, 200, 1000);
  expect(Array.isArray(res.body.data)).toBe(true);
  for (const item of res.body.data as unknown[]) expect(problemsWith(Location, item)).toEqual([]);
}

/** Follows `Link` from `first` (a path) to the end, as the admin. */
async function followAll(first: string): Promise<{ seen: string[]; pages: Response[] }> {
  const seen: string[] = [];
  const pages: Response[] = [];
  let path: string | undefined = first;
  while (path !== undefined && pages.length < 20) {
    const res = await request(node.baseUrl).get(path).set('Authorization', `Bearer ${node.adminToken}`);
    expectValidList(res);
    pages.push(res);
    seen.push(...ids(res));
    path = nextPath(res);
  }
  return { seen, pages };
}

describe('GET /admin/locations', () => {
  it('when the operator lists, then unpublished locations are listed too, as the admin API stores them', async () => {
    await seed(2);
    const res = await list();
    expectValidList(res);
    expect(ids(res)).toEqual(['L1', 'L2']);
    expect(res.body.data.map((l: { publish: boolean }) => l.publish)).toEqual([true, false]);
    expect(res.body.data[1]).toEqual((await admin.get('/L2')).body.data);
    expect(res.headers['x-total-count']).toBe('2');
    expect(res.headers['x-limit']).toBe(String(MAX));
    expect(res.headers.link).toBeUndefined();
  });

  it('when the operator follows Link to the end, then every location comes exactly once, with the totals on every page', async () => {
    await seed(7);
    const { seen, pages } = await followAll(ADMIN);
    expect(seen).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7']);
    expect(pages.map((p) => p.body.data.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.headers['x-total-count'])).toEqual(['7', '7', '7']);
    expect(pages.map((p) => p.headers['x-limit'])).toEqual(['3', '3', '3']);
    expect(pages[0]!.headers.link).toMatch(new RegExp(`^<${node.baseUrl}/admin/locations\\?[^>]+>; rel="next"$`));
    expect(linkParams(pages[0]!).get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(pages[2]!.headers.link).toBeUndefined();
  });

  it('when offset is given without a cursor, then the list starts at that index', async () => {
    await seed(5);
    const res = await list('offset=3');
    expectValidList(res);
    expect(ids(res)).toEqual(['L4', 'L5']);
    expect(res.headers['x-total-count']).toBe('5');
  });

  it('when date_from and date_to are given, then date_from is inclusive, date_to exclusive, and Link keeps both', async () => {
    const stamps = await seed(5);
    const query = `date_from=${stamps.L2}&date_to=${stamps.L5}&limit=2`;
    const first = await list(query);
    expectValidList(first);
    expect(ids(first)).toEqual(['L2', 'L3']);
    expect(first.headers['x-total-count']).toBe('3');
    const params = linkParams(first);
    expect([params.get('date_from'), params.get('date_to'), params.get('limit'), params.get('offset')]).toEqual([stamps.L2, stamps.L5, '2', '2']);
    const { seen } = await followAll(`${ADMIN}?${query}`);
    expect(seen).toEqual(['L2', 'L3', 'L4']);
  });

  it('when limit exceeds MAX_PAGE_SIZE, then it is clamped: X-Limit is the maximum and Link carries it', async () => {
    await seed(4);
    const res = await list('limit=1000');
    expectValidList(res);
    expect(ids(res)).toEqual(['L1', 'L2', 'L3']);
    expect(res.headers['x-limit']).toBe(String(MAX));
    expect(linkParams(res).get('limit')).toBe(String(MAX));
  });

  it('when the query is invalid (bad values, a repeated key, an unknown parameter), then 400 / 2001', async () => {
    await seed(1);
    for (const query of ['limit=0', 'offset=-1', 'date_from=yesterday', 'limit=ten', 'offset=1&offset=2', 'date_form=2026-03-01T12:00:00Z', 'publish=false']) {
      const res = await list(query);
      expectOcpi(res, 400, 2001);
      expect(res.body.data).toBeUndefined();
    }
    expect((await list('date_form=x')).body.status_message).toBe('Invalid query: unknown parameter date_form');
  });

  it('when a partner token, a token A or no token is used, then 401', async () => {
    await seed(1);
    for (const authorization of [await registeredPartner(node), await registrationToken(node)]) {
      expectOcpi(await request(node.baseUrl).get(ADMIN).set('Authorization', authorization), 401, 2000);
    }
    expectOcpi(await request(node.baseUrl).get(ADMIN), 401, 2000);
  });

  it('when the list is called with POST, then 405 with Allow: GET', async () => {
    const res = await request(node.baseUrl).post(ADMIN).set('Authorization', `Bearer ${node.adminToken}`).send(locationBody('L1'));
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET');
    expect(await db.prisma.location.count()).toBe(0);
  });
});
