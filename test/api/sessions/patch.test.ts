import { Session } from '../../../src/modules/sessions/sessions.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { chargingPeriod, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ManualClock } from '../locations/location-api';
import { sessionAdmin, storedSession } from './session-api';

/** PATCH /admin/sessions/{id}: If-Match required, fields changed, charging_periods appended (OCPI semantics). */

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof sessionAdmin>;

const P1 = chargingPeriod('2026-03-01T10:00:00Z', 1);
const P2 = chargingPeriod('2026-03-01T10:15:00Z', 2, { tariff_id: 'AC-1' });
const P3 = chargingPeriod('2026-03-01T10:30:00Z', 3);

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock });
  admin = sessionAdmin(node);
  await putSessionPlace(node);
  expectOcpi(await admin.put('/S1', sessionBody('S1', { charging_periods: [P1] })), 201, 1000, Session);
});
afterEach(async () => {
  await node.close();
});

describe('PATCH /admin/sessions/{id}', () => {
  it('when a PATCH carries charging_periods, then they are appended after the stored ones, and the other fields change', async () => {
    clock.advance();
    const first = await admin.patch('/S1', { kwh: 3, charging_periods: [P2] }, { 'If-Match': '"1"' });
    expectOcpi(first, 200, 1000, Session);
    expect(first.headers.etag).toBe('"2"');
    expect(first.body.data).toMatchObject({ kwh: 3, charging_periods: [P1, P2], last_updated: clock.iso() });
    clock.advance();
    const second = await admin.patch('/s1', { kwh: 6, charging_periods: [P3], total_cost: { excl_vat: 1.5 } }, { 'If-Match': '"2"' });
    expectOcpi(second, 200, 1000, Session);
    expect(second.body.data).toMatchObject({ kwh: 6, charging_periods: [P1, P2, P3], total_cost: { excl_vat: 1.5 } });
    expect((await storedSession(node, 'S1')).data).toEqual(second.body.data);
  });

  it('when a PATCH has no or empty charging_periods, then the stored periods stay as they are', async () => {
    const res = await admin.patch('/S1', { kwh: 2, charging_periods: [] }, { 'If-Match': '"1"' });
    expectOcpi(res, 200, 1000, Session);
    expect(res.body.data.charging_periods).toEqual([P1]);
  });

  it('when a PATCH changes nothing, then 200 and neither version nor last_updated moves', async () => {
    const before = await storedSession(node, 'S1');
    clock.advance();
    const res = await admin.patch('/S1', { kwh: 0, status: 'ACTIVE', charging_periods: [] }, { 'If-Match': '"1"' });
    expectOcpi(res, 200, 1000, Session);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body.data).toEqual(before.data);
  });

  it('when a PATCH has no If-Match, then 428; a stale one 412; both change nothing', async () => {
    const before = await storedSession(node, 'S1');
    expectOcpi(await admin.patch('/S1', { kwh: 2, charging_periods: [P2] }), 428, 2000);
    expectOcpi(await admin.patch('/S1', { kwh: 2, charging_periods: [P2] }, { 'If-Match': '"0"' }), 412, 2000);
    expectOcpi(await admin.patch('/S1', { kwh: 2 }, { 'If-Match': 'garbage' }), 412, 2000);
    expect(await storedSession(node, 'S1')).toEqual(before);
    expectOcpi(await admin.patch('/S1', { kwh: 2 }, { 'If-Match': '*' }), 200, 1000, Session);
  });

  it('when a PATCH carries a last_updated older than the stored one, then 409 and nothing changes', async () => {
    const before = await storedSession(node, 'S1');
    clock.advance();
    const res = await admin.patch('/S1', { kwh: 2, charging_periods: [P2], last_updated: '2026-02-01T00:00:00Z' }, { 'If-Match': '"1"' });
    expectOcpi(res, 409, 2000);
    expect(await storedSession(node, 'S1')).toEqual(before);
  });

  it('when a PATCH names an unknown session, then 404 / 2000; an id in the body other than the path, 400 / 2001', async () => {
    expectOcpi(await admin.patch('/NOPE', { kwh: 1 }, { 'If-Match': '*' }), 404, 2000);
    expectOcpi(await admin.patch('/S1', { id: 'S2', kwh: 1 }, { 'If-Match': '"1"' }), 400, 2001);
    expectOcpi(await admin.patch('/S1', { party_id: 'ABC' }, { 'If-Match': '"1"' }), 400, 2001);
  });

  it('when twenty PATCHes append concurrently (If-Match: *), then every period is stored exactly once', async () => {
    const periods = Array.from({ length: 20 }, (_, i) => chargingPeriod(`2026-03-01T11:${String(i).padStart(2, '0')}:00Z`, i));
    const answers = await Promise.all(periods.map((period) => admin.patch('/S1', { charging_periods: [period] }, { 'If-Match': '*' })));
    for (const res of answers) expectOcpi(res, 200, 1000, Session);
    const { data, etag } = await storedSession(node, 'S1');
    expect(data.charging_periods).toHaveLength(21);
    expect(new Set(data.charging_periods.map((p: { start_date_time: string }) => p.start_date_time)).size).toBe(21);
    expect(etag).toBe('"21"');
  });

  it('when a PUT replaces the periods, then the stored list is exactly the PUT one (a PUT is not an append)', async () => {
    expectOcpi(await admin.patch('/S1', { charging_periods: [P2] }, { 'If-Match': '"1"' }), 200, 1000);
    const put = await admin.put('/S1', sessionBody('S1', { charging_periods: [P3] }));
    expectOcpi(put, 200, 1000, Session);
    expect(put.body.data.charging_periods).toEqual([P3]);
    const row = await db.prisma.session.findUniqueOrThrow({ where: { idKey: 'S1' } });
    expect({ periodCount: row.periodCount, periodsGeneration: row.periodsGeneration }).toEqual({ periodCount: 1, periodsGeneration: 2 });
  });
});
