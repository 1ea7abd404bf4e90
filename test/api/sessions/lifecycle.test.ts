import { Session } from '../../../src/modules/sessions/sessions.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { chargingPeriod, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { sessionAdmin, storedSession } from './session-api';

/** Status moves PENDING/RESERVATION → ACTIVE → COMPLETED, any → INVALID; COMPLETED and INVALID are final. */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof sessionAdmin>;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = sessionAdmin(node);
  await putSessionPlace(node);
});
afterEach(async () => {
  await node.close();
});

async function sessionIn(status: string): Promise<void> {
  expectOcpi(await admin.put('/S1', sessionBody('S1', { status })), 201, 1000, Session);
}

describe('status transitions', () => {
  it.each([
    ['PENDING', 'ACTIVE'], ['RESERVATION', 'ACTIVE'], ['ACTIVE', 'COMPLETED'], ['PENDING', 'RESERVATION'], ['RESERVATION', 'PENDING'],
    ['RESERVATION', 'COMPLETED'], ['PENDING', 'INVALID'], ['RESERVATION', 'INVALID'], ['ACTIVE', 'INVALID'], ['PENDING', 'COMPLETED'],
  ])('when a %s session is PATCHed to %s, then 200 and the status moves', async (from, to) => {
    await sessionIn(from);
    const res = await admin.patch('/S1', { status: to }, { 'If-Match': '"1"' });
    expectOcpi(res, 200, 1000, Session);
    expect(res.body.data.status).toBe(to);
    expect(res.headers.etag).toBe('"2"');
  });

  it.each([['ACTIVE', 'PENDING'], ['ACTIVE', 'RESERVATION']])('when an %s session is moved back to %s (PATCH or PUT), then 409 and nothing changes', async (from, to) => {
    await sessionIn(from);
    const before = await storedSession(node, 'S1');
    const patched = await admin.patch('/S1', { status: to }, { 'If-Match': '"1"' });
    expectOcpi(patched, 409, 2000);
    expect(patched.body.status_message).toContain(`from ${from} to ${to}`);
    expectOcpi(await admin.put('/S1', sessionBody('S1', { status: to })), 409, 2000);
    expect(await storedSession(node, 'S1')).toEqual(before);
  });

  it.each([
    ['COMPLETED', 'ACTIVE'], ['COMPLETED', 'INVALID'], ['INVALID', 'ACTIVE'], ['INVALID', 'COMPLETED'],
  ])('when a %s session is changed in any way (status %s, kwh, periods), then 409 and nothing changes', async (final, to) => {
    await sessionIn(final);
    const before = await storedSession(node, 'S1');
    for (const patch of [{ status: to }, { kwh: 12 }, { charging_periods: [chargingPeriod('2026-03-01T11:00:00Z')] }]) {
      const res = await admin.patch('/S1', patch, { 'If-Match': '"1"' });
      expectOcpi(res, 409, 2000);
      expect(res.body.status_message).toContain(`Session is ${final}, a final state`);
    }
    expectOcpi(await admin.put('/S1', sessionBody('S1', { status: final, kwh: 12 })), 409, 2000);
    expect(await storedSession(node, 'S1')).toEqual(before);
  });

  it('when a final session is written again exactly as stored, then 200 unchanged (a CSMS repeating its last report is not an error)', async () => {
    await sessionIn('COMPLETED');
    const before = await storedSession(node, 'S1');
    const put = await admin.put('/S1', sessionBody('S1', { status: 'COMPLETED' }));
    expectOcpi(put, 200, 1000, Session);
    expect(put.headers.etag).toBe('"1"');
    const patch = await admin.patch('/S1', { status: 'COMPLETED', kwh: 0 }, { 'If-Match': '"1"' });
    expectOcpi(patch, 200, 1000, Session);
    expect(await storedSession(node, 'S1')).toEqual(before);
  });

  it('when a session is created directly in a final state, then it is stored (a CSMS may report a session late)', async () => {
    await sessionIn('COMPLETED');
    expect((await storedSession(node, 'S1')).data.status).toBe('COMPLETED');
  });

  it('when a reservation without EVSE becomes ACTIVE, then the PATCH must name an existing EVSE and connector', async () => {
    expectOcpi(await admin.put('/S1', sessionBody('S1', { status: 'RESERVATION', evse_uid: '#NA', connector_id: '#NA' })), 201, 1000, Session);
    expectOcpi(await admin.patch('/S1', { status: 'ACTIVE' }, { 'If-Match': '"1"' }), 400, 2001);
    expectOcpi(await admin.patch('/S1', { status: 'ACTIVE', evse_uid: 'LOC-1-E9', connector_id: '1' }, { 'If-Match': '"1"' }), 400, 2001);
    const res = await admin.patch('/S1', { status: 'ACTIVE', evse_uid: 'LOC-1-E2', connector_id: '2', start_date_time: '2026-03-01T10:20:00Z' }, { 'If-Match': '"1"' });
    expectOcpi(res, 200, 1000, Session);
    expect(res.body.data).toMatchObject({ status: 'ACTIVE', evse_uid: 'LOC-1-E2', connector_id: '2', start_date_time: '2026-03-01T10:20:00Z' });
  });
});
