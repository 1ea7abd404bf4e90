import request from 'supertest';
import type { Response } from 'supertest';
import { Session } from '../../../src/modules/sessions/sessions.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { cdrToken, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { linkParams, ManualClock, nextPath, registrationToken } from '../locations/location-api';
import { ADMIN_SESSIONS, expectSessionList, registeredEmsp, SESSIONS, sessionAdmin, sessionSender } from './session-api';

/** The lists: `GET /admin/sessions` (every session) and `GET /ocpi/2.2.1/sessions` (the caller's own only), MAX_PAGE_SIZE 3. */

const MAX = 3;
const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof sessionAdmin>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock, env: { MAX_PAGE_SIZE: String(MAX) } });
  admin = sessionAdmin(node);
  await putSessionPlace(node);
});
afterEach(async () => {
  await node.close();
});

/** Creates each session one second apart, its token of the given party; returns last_updated by id. */
async function seed(sessions: [id: string, countryCode: string, partyId: string][]): Promise<Record<string, string>> {
  const stamps: Record<string, string> = {};
  for (const [id, countryCode, partyId] of sessions) {
    stamps[id] = clock.advance(1000);
    expectOcpi(await admin.put(`/${id}`, sessionBody(id, { cdr_token: cdrToken(countryCode, partyId) })), 201, 1000, Session);
  }
  return stamps;
}

async function followAll(follow: (path: string) => Promise<Response>, first: string): Promise<{ seen: string[]; pages: Response[] }> {
  const seen: string[] = [];
  const pages: Response[] = [];
  let path: string | undefined = first;
  while (path !== undefined && pages.length < 20) {
    const res = await follow(path);
    seen.push(...expectSessionList(res));
    pages.push(res);
    path = nextPath(res);
  }
  return { seen, pages };
}

describe('GET /admin/sessions', () => {
  it('when more sessions exist than fit a page, then Link pages through all of them once, in creation order, with X-Total-Count and X-Limit', async () => {
    await seed([['S1', 'DE', 'AAA'], ['S2', 'FR', 'BBB'], ['S3', 'DE', 'AAA'], ['S4', 'NL', 'CCC'], ['S5', 'DE', 'AAA']]);
    const { seen, pages } = await followAll((path) => admin.follow(path), `${ADMIN_SESSIONS}?limit=10`);
    expect(seen).toEqual(['S1', 'S2', 'S3', 'S4', 'S5']);
    expect(pages.map((p) => p.headers['x-total-count'])).toEqual(['5', '5']);
    expect(pages.map((p) => p.headers['x-limit'])).toEqual(['3', '3']);
    expect(pages[1]!.headers.link).toBeUndefined();
  });

  it('when date_from and date_to are given, then date_from is inclusive, date_to exclusive, and Link keeps them', async () => {
    const stamps = await seed([['S1', 'DE', 'AAA'], ['S2', 'DE', 'AAA'], ['S3', 'DE', 'AAA'], ['S4', 'DE', 'AAA'], ['S5', 'DE', 'AAA'], ['S6', 'DE', 'AAA']]);
    const query = `date_from=${stamps.S2}&date_to=${stamps.S6}&limit=2`;
    const first = await admin.get(`?${query}`);
    expect(expectSessionList(first)).toEqual(['S2', 'S3']);
    expect(first.headers['x-total-count']).toBe('4');
    expect(linkParams(first).get('date_from')).toBe(stamps.S2);
    expect(linkParams(first).get('date_to')).toBe(stamps.S6);
    const { seen } = await followAll((path) => admin.follow(path), `${ADMIN_SESSIONS}?${query}`);
    expect(seen).toEqual(['S2', 'S3', 'S4', 'S5']);
  });

  it('when a session is updated, then its last_updated moves and the date filters see it at its new time', async () => {
    const stamps = await seed([['S1', 'DE', 'AAA'], ['S2', 'DE', 'AAA']]);
    const updatedAt = clock.advance(1000);
    expectOcpi(await admin.patch('/S1', { kwh: 1 }, { 'If-Match': '"1"' }), 200, 1000, Session);
    expect(expectSessionList(await admin.get(`?date_from=${updatedAt}`))).toEqual(['S1']);
    expect(expectSessionList(await admin.get(`?date_to=${stamps.S2}`))).toEqual([]);
  });

  it('when an unknown query parameter or an invalid value is given, then 400 / 2001 naming it', async () => {
    const unknown = await admin.get('?status=ACTIVE');
    expectOcpi(unknown, 400, 2001);
    expect(unknown.body.status_message).toContain('unknown parameter status');
    expectOcpi(await admin.get('?date_from=yesterday'), 400, 2001);
    expectOcpi(await admin.get('?offset=-1'), 400, 2001);
  });
});

describe('GET /ocpi/2.2.1/sessions: each eMSP sees only its own sessions', () => {
  it('when two eMSPs of different parties pull, then each gets exactly the sessions of its own tokens, counted for it alone', async () => {
    const aaa = sessionSender(node, await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' }));
    const bbb = sessionSender(node, await registeredEmsp(node, { countryCode: 'FR', partyId: 'BBB' }));
    await seed([['S1', 'DE', 'AAA'], ['S2', 'FR', 'BBB'], ['S3', 'de', 'aaa'], ['S4', 'NL', 'CCC'], ['S5', 'DE', 'AAA'], ['S6', 'DE', 'AAA'], ['S7', 'FR', 'BBB']]);

    const mine = await followAll((path) => aaa.follow(path), SESSIONS);
    expect(mine.seen).toEqual(['S1', 'S3', 'S5', 'S6']);
    expect(mine.pages.map((p) => p.headers['x-total-count'])).toEqual(['4', '4']);
    expect(mine.pages[0]!.headers['ocpi-from-party-id']).toBe('CPO');
    const theirs = await followAll((path) => bbb.follow(path), SESSIONS);
    expect(theirs.seen).toEqual(['S2', 'S7']);
    expect(theirs.pages[0]!.headers['x-total-count']).toBe('2');
    expect(theirs.pages[0]!.headers.link).toBeUndefined();
  });

  it('when an eMSP pulls with date filters and limit, then they apply to its own sessions only, and Link keeps them', async () => {
    const aaa = sessionSender(node, await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' }));
    const stamps = await seed([['S1', 'DE', 'AAA'], ['S2', 'FR', 'BBB'], ['S3', 'DE', 'AAA'], ['S4', 'DE', 'AAA'], ['S5', 'FR', 'BBB'], ['S6', 'DE', 'AAA'], ['S7', 'DE', 'AAA']]);
    const query = `date_from=${stamps.S2}&date_to=${stamps.S7}&limit=2`;
    const first = await aaa.list(query);
    expect(expectSessionList(first)).toEqual(['S3', 'S4']);
    expect(first.headers['x-total-count']).toBe('3');
    expect(linkParams(first).get('date_to')).toBe(stamps.S7);
    const { seen } = await followAll((path) => aaa.follow(path), `${SESSIONS}?${query}`);
    expect(seen).toEqual(['S3', 'S4', 'S6']);
    expect(expectSessionList(await aaa.list(`date_from=${stamps.S7}`))).toEqual(['S7']);
  });

  it('when a partner of a party that owns no session pulls, then an empty list with X-Total-Count 0', async () => {
    const other = sessionSender(node, await registeredEmsp(node, { countryCode: 'BE', partyId: 'ZZZ' }));
    await seed([['S1', 'DE', 'AAA']]);
    const res = await other.list();
    expect(expectSessionList(res)).toEqual([]);
    expect(res.headers['x-total-count']).toBe('0');
  });

  it('when a registration token (token A), the admin token or no token asks, then 401', async () => {
    await seed([['S1', 'DE', 'AAA']]);
    expectOcpi(await request(node.baseUrl).get(SESSIONS), 401, 2000);
    expectOcpi(await sessionSender(node, await registrationToken(node)).list(), 401, 2000);
    expectOcpi(await sessionSender(node, `Bearer ${node.adminToken}`).list(), 401, 2000);
  });
});

describe('who sees the sessions endpoint', () => {
  it('when an NSP is registered, then its version details omit sessions and GET sessions answers 401; an eMSP sees the endpoint', async () => {
    const emspAuth = await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
    const nspAuth = await registeredEmsp(node, { countryCode: 'DE', partyId: 'NAV', role: 'NSP' });
    const identifiers = async (auth: string) => {
      const res = await request(node.baseUrl).get('/ocpi/2.2.1').set('Authorization', auth);
      expectOcpi(res, 200, 1000);
      return (res.body.data.endpoints as { identifier: string }[]).map((e) => e.identifier);
    };
    expect(await identifiers(emspAuth)).toContain('sessions');
    expect(await identifiers(nspAuth)).not.toContain('sessions');
    expectOcpi(await sessionSender(node, nspAuth).list(), 401, 2000);
  });
});
