import request from 'supertest';
import type { Response } from 'supertest';
import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ids, linkParams, ManualClock, nextPath, registeredPartner, registrationToken } from '../locations/location-api';
import { ADMIN_TARIFFS, expectTariffList, TARIFFS, tariffAdmin, tariffSender } from './tariff-api';

/** Tariffs, the lists: `GET /admin/tariffs` and the OCPI sender `GET /ocpi/2.2.1/tariffs`, with the OCPI list rules (MAX_PAGE_SIZE 3). */

const MAX = 3;

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof tariffAdmin>;

async function start(env: Record<string, string> = {}): Promise<void> {
  clock = new ManualClock();
  node = await startTestApp(db, { clock, env: { MAX_PAGE_SIZE: String(MAX), ...env } });
  admin = tariffAdmin(node);
}

afterEach(async () => {
  await node.close();
});

/** Creates T1..Tn one second apart; returns each last_updated by id. */
async function seed(count: number): Promise<Record<string, string>> {
  const stamps: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    const id = `T${i}`;
    stamps[id] = clock.advance(1000);
    expectOcpi(await admin.put(`/${id}`, tariffBody(id)), 201, 1000, Tariff);
  }
  return stamps;
}

/** The two lists under test, each as a caller allowed to read it. */
type Lister = { name: string; list: (query?: string) => Promise<Response>; follow: (path: string) => Promise<Response>; base: string };

async function listers(): Promise<Lister[]> {
  const partner = tariffSender(node, await registeredPartner(node));
  const adminAuth = `Bearer ${node.adminToken}`;
  return [
    { name: 'admin', list: async (query = '') => admin.get(query ? `?${query}` : ''), follow: async (path) => request(node.baseUrl).get(path).set('Authorization', adminAuth), base: ADMIN_TARIFFS },
    { name: 'OCPI', list: async (query = '') => partner.list(query), follow: async (path) => partner.follow(path), base: TARIFFS },
  ];
}

/** Follows `Link` from `first` (a path) to the end. */
async function followAll(lister: Lister, first: string, between?: (page: number) => Promise<void>): Promise<{ seen: string[]; pages: Response[] }> {
  const seen: string[] = [];
  const pages: Response[] = [];
  let path: string | undefined = first;
  while (path !== undefined && pages.length < 20) {
    const res = await lister.follow(path);
    expectTariffList(res);
    pages.push(res);
    seen.push(...ids(res));
    await between?.(pages.length);
    path = nextPath(res);
  }
  return { seen, pages };
}

describe('both lists (admin and a partner on OCPI)', () => {
  beforeEach(async () => {
    await start();
  });

  it('when a caller follows Link to the end, then every tariff comes exactly once, with X-Total-Count and X-Limit on every page', async () => {
    await seed(7);
    for (const lister of await listers()) {
      const { seen, pages } = await followAll(lister, lister.base);
      expect({ lister: lister.name, seen }).toEqual({ lister: lister.name, seen: ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'] });
      expect(pages.map((p) => p.body.data.length)).toEqual([3, 3, 1]);
      expect(pages.map((p) => p.headers['x-total-count'])).toEqual(['7', '7', '7']);
      expect(pages.map((p) => p.headers['x-limit'])).toEqual(['3', '3', '3']);
      expect(pages[0]!.headers.link).toMatch(new RegExp(`^<${node.baseUrl}${lister.base}\\?[^>]+>; rel="next"$`));
      expect(pages[2]!.headers.link).toBeUndefined();
    }
  });

  it('when exactly MAX_PAGE_SIZE tariffs exist, then the one page has no Link', async () => {
    await seed(MAX);
    for (const lister of await listers()) {
      const res = await lister.list();
      expectTariffList(res);
      expect(ids(res)).toEqual(['T1', 'T2', 'T3']);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.headers.link).toBeUndefined();
    }
  });

  it('when there are no tariffs, then an empty list with X-Total-Count 0 and no Link', async () => {
    for (const lister of await listers()) {
      const res = await lister.list();
      expectTariffList(res);
      expect(res.body.data).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
      expect(res.headers.link).toBeUndefined();
    }
  });

  it('when date_from and date_to are given, then date_from is inclusive, date_to exclusive, and Link keeps both', async () => {
    const stamps = await seed(6);
    for (const lister of await listers()) {
      const query = `date_from=${stamps.T2}&date_to=${stamps.T6}&limit=2`;
      const first = await lister.list(query);
      expectTariffList(first);
      expect(ids(first)).toEqual(['T2', 'T3']);
      expect(first.headers['x-total-count']).toBe('4');
      const params = linkParams(first);
      expect([params.get('date_from'), params.get('date_to'), params.get('limit'), params.get('offset')]).toEqual([stamps.T2, stamps.T6, '2', '2']);
      const { seen, pages } = await followAll(lister, `${lister.base}?${query}`);
      expect(seen).toEqual(['T2', 'T3', 'T4', 'T5']);
      expect(pages.map((p) => p.headers['x-total-count'])).toEqual(['4', '4']);
    }
  });

  it('when date_to equals a tariff\'s last_updated, then it is excluded; when date_from equals it, then it is included', async () => {
    const stamps = await seed(3);
    for (const lister of await listers()) {
      const until = await lister.list(`date_to=${stamps.T2}`);
      expectTariffList(until);
      expect(ids(until)).toEqual(['T1']);
      expect(until.headers['x-total-count']).toBe('1');
      const from = await lister.list(`date_from=${stamps.T2}`);
      expectTariffList(from);
      expect(ids(from)).toEqual(['T2', 'T3']);
      const chained = await lister.list(`date_from=${stamps.T2}&date_to=${stamps.T3}`);
      expect(ids(chained)).toEqual(['T2']);
    }
  });

  it('when a tariff is replaced, then a date_from pull from that moment returns it alone; a no-op PUT does not bring it back', async () => {
    await seed(3);
    const changedAt = clock.advance(60_000);
    expectOcpi(await admin.put('/T1', tariffBody('T1', { currency: 'USD' })), 200, 1000, Tariff);
    clock.advance(60_000);
    expectOcpi(await admin.put('/T2', tariffBody('T2')), 200, 1000, Tariff);
    for (const lister of await listers()) {
      const res = await lister.list(`date_from=${changedAt}`);
      expectTariffList(res);
      expect(ids(res)).toEqual(['T1']);
      expect(res.body.data[0]).toMatchObject({ currency: 'USD', last_updated: changedAt });
      expect(res.headers['x-total-count']).toBe('1');
    }
  });

  it('when offset is given without a cursor, then the list starts at that index; past the end it is empty', async () => {
    await seed(5);
    for (const lister of await listers()) {
      const res = await lister.list('offset=3');
      expectTariffList(res);
      expect(ids(res)).toEqual(['T4', 'T5']);
      expect(res.headers['x-total-count']).toBe('5');
      const past = await lister.list('offset=9');
      expectTariffList(past);
      expect(past.body.data).toEqual([]);
      expect(past.headers['x-total-count']).toBe('5');
    }
  });

  it('when limit exceeds MAX_PAGE_SIZE, then it is clamped: X-Limit is the maximum and Link carries it; a smaller limit is kept', async () => {
    await seed(4);
    for (const lister of await listers()) {
      const clamped = await lister.list('limit=1000');
      expectTariffList(clamped);
      expect(ids(clamped)).toEqual(['T1', 'T2', 'T3']);
      expect(clamped.headers['x-limit']).toBe(String(MAX));
      expect(linkParams(clamped).get('limit')).toBe(String(MAX));
      const small = await lister.list('limit=1');
      expect(ids(small)).toEqual(['T1']);
      expect(small.headers['x-limit']).toBe(String(MAX));
      expect(linkParams(small).get('limit')).toBe('1');
    }
  });

  it('when tariffs change and are deleted during a sync, then following Link still sees every other tariff exactly once', async () => {
    await seed(7);
    for (const lister of await listers()) {
      const { seen } = await followAll(lister, lister.base, async (page) => {
        if (page !== 1) return;
        clock.advance(1000);
        expectOcpi(await admin.put('/T2', tariffBody('T2', { currency: lister.name === 'admin' ? 'USD' : 'GBP' })), 200, 1000);
        expectOcpi(await admin.put('/T5', tariffBody('T5', { currency: lister.name === 'admin' ? 'USD' : 'GBP' })), 200, 1000);
      });
      expect(seen).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7']);
    }
    const admins = (await listers())[0]!;
    const { seen } = await followAll(admins, ADMIN_TARIFFS, async (page) => {
      if (page === 1) expectOcpi(await admin.delete('/T1'), 200, 1000);
    });
    expect(seen).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7']);
  });

  it('when the query is invalid, then 400 / 2001 on both lists', async () => {
    await seed(1);
    for (const lister of await listers()) {
      for (const query of ['limit=0', 'offset=-1', 'date_from=yesterday', 'date_to=2026-03-01', 'date_from=2027-02-30T25:61:00Z', 'date_to=2027-13-45T00:00:00Z', 'limit=ten', 'offset=1&offset=2']) {
        const res = await lister.list(query);
        expectOcpi(res, 400, 2001);
        expect(res.body.data).toBeUndefined();
      }
    }
  });
});

describe('GET /admin/tariffs', () => {
  beforeEach(async () => {
    await start();
  });

  it('when the query has an unknown parameter, then 400 / 2001 naming it', async () => {
    await seed(1);
    for (const query of ['date_form=2026-03-01T12:00:00Z', 'currency=EUR']) {
      const res = await admin.get(`?${query}`);
      expectOcpi(res, 400, 2001);
      expect(res.body.status_message).toBe(`Invalid query: unknown parameter ${query.split('=')[0]}`);
    }
  });

  it('when the operator lists, then each item is the tariff GET returns', async () => {
    await seed(2);
    const res = await admin.get('');
    expectTariffList(res);
    expect(res.body.data[1]).toEqual((await admin.get('/T2')).body.data);
  });
});

describe('GET /ocpi/2.2.1/tariffs', () => {
  it('when a partner adds a parameter of its own, then it is ignored and the answer carries our routing headers', async () => {
    await start();
    await seed(2);
    const partner = tariffSender(node, await registeredPartner(node));
    const res = await partner.list('currency=USD', { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'MSP' });
    expectTariffList(res);
    expect(ids(res)).toEqual(['T1', 'T2']);
    expect(res.headers['ocpi-from-country-code']).toBe('NL');
    expect(res.headers['ocpi-from-party-id']).toBe('CPO');
    expect(res.headers['ocpi-to-country-code']).toBe('DE');
    expect(res.headers['ocpi-to-party-id']).toBe('MSP');
  });

  it('when OPEN_DATA is off and the caller has no token, then 401 with the envelope and no data', async () => {
    await start({ OPEN_DATA: 'false' });
    await seed(2);
    const res = await tariffSender(node).list();
    expectOcpi(res, 401, 2000);
    expect(res.body.data).toBeUndefined();
  });

  it('when the caller holds a token A, an unknown token or the admin token, then 401 with the envelope and no data', async () => {
    await start({ OPEN_DATA: 'true' });
    await seed(2);
    for (const authorization of [await registrationToken(node), 'Token dW5rbm93bi10b2tlbg==', `Bearer ${node.adminToken}`]) {
      const res = await tariffSender(node, authorization).list();
      expectOcpi(res, 401, 2000);
      expect(res.body.data).toBeUndefined();
    }
  });

  it('when the list is written to, then 405 with Allow: GET and nothing is stored', async () => {
    await start();
    const partner = await registeredPartner(node);
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const res = await request(node.baseUrl)[method](TARIFFS).set('Authorization', partner).send(tariffBody('T1'));
      expectOcpi(res, 405, 2000);
      expect(res.headers.allow).toBe('GET');
    }
    expect(await db.prisma.tariff.count()).toBe(0);
  });
});
