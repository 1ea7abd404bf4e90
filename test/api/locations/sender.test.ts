import request from 'supertest';
import type { Response } from 'supertest';
import { Connector, Evse, Location } from '../../../src/modules/locations/locations.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminApi,
  ids,
  linkParams,
  ManualClock,
  nextPath,
  registeredPartner,
  registrationToken,
  SENDER,
  senderApi,
  withoutLastUpdated,
} from './location-api';

/** Issue 3, the Locations SENDER interface (digest §3.1.1, §1.9, §1.10), with MAX_PAGE_SIZE 3. */

const MAX = 3;

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof adminApi>;
let partner: string;
let sender: ReturnType<typeof senderApi>;

/** Registers the fake eMSP (the one thing most tests here need besides data). */
async function asPartner(): Promise<void> {
  partner = await registeredPartner(node);
  sender = senderApi(node, partner);
}

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock, env: { MAX_PAGE_SIZE: String(MAX) } });
  admin = adminApi(node);
});
afterEach(async () => {
  await node.close();
});

/** A location with one EVSE of one connector: enough for list tests, cheap to write. */
function smallLocation(id: string, publish = true) {
  return locationBody(id, { publish, evses: [evseBody(`${id}-E1`, { connectors: [connectorBody('1')] })] });
}

/** Creates L1..Ln one second apart (L2 unpublished) and registers the partner; returns each last_updated by id. */
async function seed(count: number, body: (id: string, publish: boolean) => object = smallLocation): Promise<Record<string, string>> {
  await asPartner();
  const stamps: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    const id = `L${i}`;
    stamps[id] = clock.advance(1000);
    const res = await admin.put(`/${id}`, body(id, i !== 2));
    expectOcpi(res, 201, 1000, Location);
    expect(res.body.data.last_updated).toBe(stamps[id]);
  }
  return stamps;
}

function expectValidList(res: Response): void {
  expectOcpi(res, 200, 1000);
  expect(Array.isArray(res.body.data)).toBe(true);
  for (const item of res.body.data as unknown[]) expect(problemsWith(Location, item)).toEqual([]);
}

/** Follows `Link` from `first` to the end; PATCHes via `between` after each page. Returns every id seen, in order. */
async function sync(first: string, between: (page: number) => Promise<void> = async () => undefined): Promise<{ seen: string[]; pages: Response[] }> {
  const seen: string[] = [];
  const pages: Response[] = [];
  let path: string | undefined = first;
  while (path !== undefined && pages.length < 20) {
    const res = await request(node.baseUrl).get(path).set('Authorization', partner);
    expectValidList(res);
    pages.push(res);
    seen.push(...ids(res));
    await between(pages.length);
    path = nextPath(res);
  }
  return { seen, pages };
}

describe('the paginated list', () => {
  it('when a partner lists, then it gets every location (published or not), complete and as the admin API stores it', async () => {
    await seed(3);
    const res = await sender.get('');
    expectValidList(res);
    expect(ids(res)).toEqual(['L1', 'L2', 'L3']);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.headers['x-limit']).toBe(String(MAX));
    expect(res.headers.link).toBeUndefined();
    const stored = await admin.get('/L2');
    expect(res.body.data[1]).toEqual(stored.body.data);
    expect(withoutLastUpdated(res.body.data[1])).toEqual({ ...smallLocation('L2', false), country_code: 'NL', party_id: 'CPO' });
  });

  it('when the client asks for more than MAX_PAGE_SIZE, then the page is clamped and X-Limit shows the maximum', async () => {
    await seed(5);
    const res = await sender.get('?limit=50');
    expectValidList(res);
    expect(ids(res)).toEqual(['L1', 'L2', 'L3']);
    expect(res.headers['x-limit']).toBe(String(MAX));
    expect(res.headers['x-total-count']).toBe('5');
    expect(linkParams(res).get('limit')).toBe(String(MAX));
    expect(linkParams(res).get('offset')).toBe('3');
  });

  it('when the client asks for fewer, then it gets that many and X-Limit still shows the maximum', async () => {
    await seed(3);
    const res = await sender.get('?limit=1');
    expectValidList(res);
    expect(ids(res)).toEqual(['L1']);
    expect(res.headers['x-limit']).toBe(String(MAX));
    expect(res.headers['x-total-count']).toBe('3');
    expect(linkParams(res).get('limit')).toBe('1');
  });

  it('when ?offset=N is given without a cursor, then the page starts at index N', async () => {
    await seed(5);
    const middle = await sender.get('?offset=2&limit=2');
    expectValidList(middle);
    expect(ids(middle)).toEqual(['L3', 'L4']);
    expect(middle.headers['x-total-count']).toBe('5');
    expect(linkParams(middle).get('offset')).toBe('4');

    const last = await sender.get('?offset=4');
    expectValidList(last);
    expect(ids(last)).toEqual(['L5']);
    expect(last.headers.link).toBeUndefined();

    const beyond = await sender.get('?offset=10');
    expectValidList(beyond);
    expect(ids(beyond)).toEqual([]);
    expect(beyond.headers['x-total-count']).toBe('5');
    expect(beyond.headers.link).toBeUndefined();
  });

  it("when date_from equals an object's last_updated, then it is included", async () => {
    const stamps = await seed(4);
    const res = await sender.get(`?date_from=${stamps.L2}`);
    expectValidList(res);
    expect(ids(res)).toEqual(['L2', 'L3', 'L4']);
    expect(res.headers['x-total-count']).toBe('3');
  });

  it("when date_to equals an object's last_updated, then it is excluded", async () => {
    const stamps = await seed(4);
    const res = await sender.get(`?date_to=${stamps.L3}`);
    expectValidList(res);
    expect(ids(res)).toEqual(['L1', 'L2']);
    expect(res.headers['x-total-count']).toBe('2');
  });

  it('when date_from and date_to are both given, then X-Total-Count counts the window and Link keeps both filters until the last page', async () => {
    const stamps = await seed(6);
    const first = await sender.get(`?date_from=${stamps.L2}&date_to=${stamps.L6}&limit=2`);
    expectValidList(first);
    expect(ids(first)).toEqual(['L2', 'L3']);
    expect(first.headers['x-total-count']).toBe('4');
    const params = linkParams(first);
    expect(params.get('date_from')).toBe(stamps.L2);
    expect(params.get('date_to')).toBe(stamps.L6);
    expect(params.get('offset')).toBe('2');
    expect(params.get('limit')).toBe('2');
    expect(first.headers.link).toMatch(new RegExp(`^<${node.baseUrl}${SENDER}\\?.*>; rel="next"$`));

    const second = await request(node.baseUrl).get(nextPath(first)!).set('Authorization', partner);
    expectValidList(second);
    expect(ids(second)).toEqual(['L4', 'L5']);
    expect(second.headers['x-total-count']).toBe('4');
    expect(second.headers.link).toBeUndefined();
  });

  it('when the Link headers are followed from offset 0, then every location is visited exactly once and only the last page has no Link', async () => {
    await seed(7);
    const { seen, pages } = await sync(SENDER);
    expect(seen).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7']);
    expect(pages.map((p) => p.body.data.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.headers['x-total-count'])).toEqual(['7', '7', '7']);
    expect(pages.map((p) => p.headers.link === undefined)).toEqual([false, false, true]);
  });

  it('when locations are PATCHed between page fetches of a full sync, then each location is still seen exactly once', async () => {
    await seed(7);
    const touch = async (id: string, name: string) => {
      const current = await admin.get(`/${id}`);
      clock.advance(1000);
      expectOcpi(await admin.patch(`/${id}`, { name }, { 'If-Match': current.headers.etag }), 200, 1000);
    };
    const { seen } = await sync(`${SENDER}?limit=2`, async (page) => {
      await touch('L1', `seen ${page}`); // already served
      if (page * 2 + 2 <= 7) await touch(`L${page * 2 + 2}`, `ahead ${page}`); // not served yet
      const evse = await admin.get(`/L${page + 1}/evses/L${page + 1}-E1`);
      expectOcpi(await admin.patch(`/L${page + 1}/evses/L${page + 1}-E1`, { status: 'CHARGING' }, { 'If-Match': evse.headers.etag }), 200, 1000);
    });
    expect([...seen].sort()).toEqual(['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7']);
    expect(seen).toHaveLength(7);
  });

  it('when a location leaves the date_to window between page fetches, then following Link still reaches every remaining location', async () => {
    const stamps = await seed(5);
    const windowEnd = clock.advance(1000);
    const { seen } = await sync(`${SENDER}?date_to=${windowEnd}&limit=2`, async (page) => {
      if (page !== 1) return;
      const current = await admin.get('/L1');
      clock.advance(1000);
      expectOcpi(await admin.patch('/L1', { name: 'moved out of the window' }, { 'If-Match': current.headers.etag }), 200, 1000);
    });
    expect(stamps.L5! < windowEnd).toBe(true);
    // L5 never changed and lies inside [.., date_to): a client following Link must get it.
    expect(seen).toEqual(['L1', 'L2', 'L3', 'L4', 'L5']);
  });

  it('when the query is invalid (limit=0, offset=-1, date_from=yesterday, a non-numeric limit, a date with an offset, a repeated key), then 400 / 2001', async () => {
    await seed(1);
    for (const query of ['limit=0', 'offset=-1', 'date_from=yesterday', 'limit=ten', 'date_to=2026-03-01T12:00:00%2B01:00', 'offset=1&offset=2']) {
      const res = await sender.get(`?${query}`);
      expectOcpi(res, 400, 2001);
      expect(res.body.data).toBeUndefined();
    }
  });
});

describe('single objects', () => {
  it('when a partner GETs a location, an EVSE and a connector, then each is served valid with an ETag', async () => {
    await seed(2, (id, publish) => locationBody(id, { publish }));
    const location = await sender.get('/L2');
    expectOcpi(location, 200, 1000, Location);
    expect(location.body.data.id).toBe('L2');
    expect(location.headers.etag).toMatch(/^"\d+"$/);

    const evse = await sender.get('/L2/L2-E2');
    expectOcpi(evse, 200, 1000, Evse);
    expect(evse.body.data).toEqual(location.body.data.evses[1]);
    expect(evse.headers.etag).toMatch(/^"\d+"$/);

    const connector = await sender.get('/L2/L2-E2/2');
    expectOcpi(connector, 200, 1000, Connector);
    expect(connector.body.data).toEqual(location.body.data.evses[1].connectors[1]);
    expect(connector.headers.etag).toMatch(/^"\d+"$/);
  });

  it('when ids differ from the stored ones only in case, then the same objects are served', async () => {
    await seed(1, (id) => locationBody(id, { evses: [evseBody(`${id}-E1`, { connectors: [connectorBody('ccs-a')] })] }));
    const location = await sender.get('/l1');
    expectOcpi(location, 200, 1000, Location);
    expect(location.body.data.id).toBe('L1');
    const evse = await sender.get('/l1/l1-e1');
    expectOcpi(evse, 200, 1000, Evse);
    expect(evse.body.data.uid).toBe('L1-E1');
    const connector = await sender.get('/l1/L1-e1/CCS-A');
    expectOcpi(connector, 200, 1000, Connector);
    expect(connector.body.data.id).toBe('ccs-a');
  });

  it('when a partner GETs an unknown location, EVSE or connector (or an EVSE under the wrong location), then 404 / 2003', async () => {
    await seed(2);
    for (const path of ['/NOPE', '/L1/NOPE', '/L1/L1-E1/9', '/L1/L2-E1', '/NOPE/L1-E1/1', `/${'X'.repeat(40)}`, `/L1/${'E'.repeat(40)}`]) {
      const res = await sender.get(path);
      expectOcpi(res, 404, 2003);
      expect(res.body.data).toBeUndefined();
    }
  });
});

describe('routing headers', () => {
  it('when a partner sends OCPI-from headers, then every response (list, objects, errors) is from us and to them', async () => {
    await seed(1);
    const from = { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'MSP', 'OCPI-to-country-code': 'NL', 'OCPI-to-party-id': 'CPO' };
    const cases: [string, number, number][] = [['', 200, 1000], ['/L1', 200, 1000], ['/L1/L1-E1', 200, 1000], ['/L1/L1-E1/1', 200, 1000], ['/NOPE', 404, 2003], ['?limit=0', 400, 2001]];
    for (const [path, http, ocpi] of cases) {
      const res = await sender.get(path, from);
      expectOcpi(res, http, ocpi);
      expect(res.headers).toMatchObject({
        'ocpi-from-country-code': 'NL',
        'ocpi-from-party-id': 'CPO',
        'ocpi-to-country-code': 'DE',
        'ocpi-to-party-id': 'MSP',
      });
    }
  });

  it('when a partner sends no OCPI-from headers, then the response still says it is from us', async () => {
    await seed(1);
    const res = await sender.get('/L1');
    expectOcpi(res, 200, 1000, Location);
    expect(res.headers['ocpi-from-country-code']).toBe('NL');
    expect(res.headers['ocpi-from-party-id']).toBe('CPO');
  });
});

describe('methods and tokens', () => {
  it('when a partner POSTs, PUTs, PATCHes or DELETEs on the sender interface, then 405 allowing GET and nothing changes', async () => {
    await seed(1);
    const before = await admin.get('/L1');
    const attempts: ['post' | 'put' | 'patch' | 'delete', string][] = [['post', ''], ['put', ''], ['put', '/L1'], ['patch', '/L1'], ['patch', '/L1/L1-E1'], ['delete', '/L1/L1-E1/1']];
    for (const [method, path] of attempts) {
      const res = await request(node.baseUrl)[method](`${SENDER}${path}`).set('Authorization', partner).send(smallLocation('L1', false));
      expectOcpi(res, 405, 2000);
      expect(res.headers.allow).toBe('GET');
    }
    const after = await admin.get('/L1');
    expect(after.headers.etag).toBe(before.headers.etag);
    expect(after.body.data).toEqual(before.body.data);
  });

  it('when a registration token (token A) is used on locations, then 401', async () => {
    expectOcpi(await admin.put('/L1', smallLocation('L1')), 201, 1000);
    const tokenA = senderApi(node, await registrationToken(node));
    expectOcpi(await tokenA.get(''), 401, 2000);
    expectOcpi(await tokenA.get('/L1'), 401, 2000);
  });

  it('when the admin token is used on the OCPI locations endpoint, then 401', async () => {
    expectOcpi(await admin.put('/L1', smallLocation('L1')), 201, 1000);
    const asAdmin = senderApi(node, `Bearer ${node.adminToken}`);
    expectOcpi(await asAdmin.get(''), 401, 2000);
    expectOcpi(await asAdmin.get('/L1'), 401, 2000);
    const asAdminToken = senderApi(node, `Token ${Buffer.from(node.adminToken).toString('base64')}`);
    expectOcpi(await asAdminToken.get('/L1'), 401, 2000);
  });
});
