import { Session } from '../../../src/modules/sessions/sessions.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { chargingPeriod, cdrToken, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { databasePerSuite } from '../../helpers/test-database';
import { eventually, expectWritten, quietFor, registerPartner, settled, shape, startPushNode, type Partner, type PushNode } from './push-harness';

/**
 * Issue 10 item 2: a session goes to its owner alone (the partner holding its cdr_token's party): a PUT
 * first, then PATCHes carrying only the changed fields, the charging periods the owner does not hold
 * yet, and last_updated. Through an outage the owner ends with every period exactly once.
 */

jest.setTimeout(30_000);

const db = databasePerSuite();
let node: PushNode;
const partners: Partner[] = [];

afterEach(async () => {
  for (const partner of partners.splice(0)) await partner.emsp.stop();
  await node?.close();
});

async function emsp(partyId: string): Promise<Partner> {
  const partner = await registerPartner(node, { countryCode: 'DE', partyId, sessionsReceiver: true });
  partners.push(partner);
  return partner;
}

const SESSIONS = '/ocpi/2.2.1/sessions/NL/CPO';

async function adminSession(id: string): Promise<Record<string, any>> {
  const res = await node.admin.get(`/admin/sessions/${id}`);
  expectOcpi(res, 200, 1000, Session);
  return res.body.data;
}

const heldBy = (partner: Partner, id: string) => partner.emsp.sessions.get(`NL/CPO/${id.toUpperCase()}`);

const P = (minute: number, kwh: number) => chargingPeriod(`2026-03-01T10:${String(minute).padStart(2, '0')}:00Z`, kwh);

describe('sessions reach their owner only', () => {
  beforeEach(async () => {
    node = await startPushNode(db);
    await putSessionPlace(node);
  });

  it('when sessions of two eMSPs are reported, then each eMSP receives exactly its own, PUT first and then PATCHes of the changes', async () => {
    const a = await emsp('AAA');
    const b = await emsp('BBB');
    expectWritten(await node.admin.put('/admin/sessions/S-A', sessionBody('S-A', { cdr_token: cdrToken('DE', 'AAA') })));
    expectWritten(await node.admin.put('/admin/sessions/S-B', sessionBody('S-B', { cdr_token: cdrToken('de', 'bbb') })));
    await settled(db, a);
    await settled(db, b);
    expectWritten(await node.admin.patch('/admin/sessions/S-A', { kwh: 1.5, charging_periods: [P(0, 1.5)] }));
    await settled(db, a);

    const current = await adminSession('S-A');
    expect(a.emsp.sessionPushes().map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${SESSIONS}/S-A`, `PATCH ${SESSIONS}/S-A`]);
    expect(a.emsp.sessionPushes()[1]!.body).toEqual({ kwh: 1.5, charging_periods: [P(0, 1.5)], last_updated: current.last_updated });
    expect(heldBy(a, 'S-A')).toEqual(current);
    expect(heldBy(b, 'S-B')).toEqual(await adminSession('S-B'));
    expect(a.emsp.sessionPushes().some((r) => r.path.includes('S-B'))).toBe(false);
    expect(b.emsp.sessionPushes().some((r) => r.path.includes('S-A'))).toBe(false);
  });

  it('when the owner is down while periods are appended, then once back it holds every period exactly once', async () => {
    const a = await emsp('AAA');
    expectWritten(await node.admin.put('/admin/sessions/S1', sessionBody('S1', { charging_periods: [P(0, 1)] })));
    await settled(db, a);
    await a.emsp.stop();
    for (let i = 1; i <= 5; i++) expectWritten(await node.admin.patch('/admin/sessions/S1', { kwh: i + 1, charging_periods: [P(i * 5, i + 1)] }));
    await a.emsp.restart();
    await settled(db, a, 15_000);
    expectWritten(await node.admin.patch('/admin/sessions/S1', { status: 'COMPLETED', end_date_time: '2026-03-01T11:00:00Z' }));
    await settled(db, a);
    const current = await adminSession('S1');
    expect(current.charging_periods).toHaveLength(6);
    expect(heldBy(a, 'S1')).toEqual(current);
  });

  it('when an admin PUT replaces the periods, then the owner gets the whole session again', async () => {
    const a = await emsp('AAA');
    expectWritten(await node.admin.put('/admin/sessions/S1', sessionBody('S1', { charging_periods: [P(0, 1), P(5, 2)] })));
    await settled(db, a);
    expectWritten(await node.admin.put('/admin/sessions/S1', sessionBody('S1', { charging_periods: [P(0, 1), P(5, 3)] })));
    await settled(db, a);
    expect(a.emsp.sessionPushes().map((r) => r.method)).toEqual(['PUT', 'PUT']);
    expect(heldBy(a, 'S1')).toEqual(await adminSession('S1'));
  });

  it('when the owner registers after its session was reported, then the session reaches it then, and no other partner ever', async () => {
    const other = await emsp('BBB');
    expectWritten(await node.admin.put('/admin/sessions/S1', sessionBody('S1')));
    await quietFor(300);
    const a = await emsp('AAA');
    await eventually(() => expect(heldBy(a, 'S1')).toBeDefined());
    await settled(db, a);
    expect(heldBy(a, 'S1')).toEqual(await adminSession('S1'));
    expect(other.emsp.sessionPushes()).toEqual([]);
    expect(a.emsp.sessionPushes().map(shape).map((r) => r.method)).toEqual(['PUT']);
  });

  it('when the operator resyncs sessions for a partner, then it gets its own sessions whole again, and no other', async () => {
    const a = await emsp('AAA');
    await emsp('BBB');
    expectWritten(await node.admin.put('/admin/sessions/S-A', sessionBody('S-A', { charging_periods: [P(0, 1)] })));
    expectWritten(await node.admin.put('/admin/sessions/S-B', sessionBody('S-B', { cdr_token: cdrToken('DE', 'BBB') })));
    await settled(db, a);
    a.emsp.sessions.clear();
    const res = await node.admin.post(`/admin/partners/${a.id}/resync`, { module: 'sessions' });
    expectOcpi(res, 202, 1000);
    expect(res.body.data).toEqual({ module: 'sessions', queued: 1 });
    await settled(db, a);
    expect([...a.emsp.sessions.keys()]).toEqual(['NL/CPO/S-A']);
    expect(heldBy(a, 'S-A')).toEqual(await adminSession('S-A'));
  });
});
