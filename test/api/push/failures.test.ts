import type { PushFault } from '../../helpers/fake-emsp';
import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminLocation,
  at,
  deliveriesOf,
  deliverySummary,
  eventually,
  expectPartnerHolds,
  ISO_TIME,
  logEntries,
  nodeWithPartnerPerTest,
  pendingCount,
  quietFor,
  settled,
  shape,
  type Partner,
  type PushNode,
} from './push-harness';

/** Issue 4.2: transient failures are retried until the partner converges; permanent ones are not, and show. */

const db = databasePerSuite();
const startNodeWithPartner = nodeWithPartnerPerTest(db);

/** A node with push on, one registered partner, and LOC1 acknowledged by it. */
async function acknowledgedLocation(env: Record<string, string> = {}): Promise<{ node: PushNode; partner: Partner }> {
  const { node, partner } = await startNodeWithPartner(env);
  expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
  await settled(db, partner);
  await expectPartnerHolds(node, partner.emsp, 'LOC1');
  return { node, partner };
}

const statusChange = (n: PushNode, uid: string, status: string) => n.admin.patch(`/admin/locations/LOC1/evses/${uid}`, { status });

// A failed attempt may still have reached the partner (a timeout, a reset after it applied the
// request), so what it holds is unknown: retries send the whole location.
describe('transient failures are retried with backoff, as a full PUT, until the partner converges', () => {
  // Refusals are transport failures: counted per delivery only up to PUSH_UNREACHABLE_AFTER (3 by
  // default), after which the partner is probed instead (partner-down.test.ts, reachability.test.ts).
  it('when the partner refuses connections, then the delivery is retried up to PUSH_UNREACHABLE_AFTER attempts, then only probed, and lands once it is back', async () => {
    const { node, partner } = await acknowledgedLocation();
    await partner.emsp.stop();
    expectOcpi(await statusChange(node, 'LOC1-E1', 'CHARGING'), 200, 1000);

    await eventually(async () => expect((await node.admin.get(`/admin/partners/${partner.id}`)).body.data.reachability.state).toBe('UNREACHABLE'));
    await eventually(() => expect(logEntries(node).filter((e) => e.message === 'partner probe' && e.partner === partner.id).length).toBeGreaterThanOrEqual(2));
    const pending = await deliveriesOf(node, partner.id, 'pending');
    expect(pending).toEqual([
      expect.objectContaining({ module: 'locations', object: 'LOC1', status: 'PENDING', attempts: 3, last_error: expect.stringMatching(/cannot reach/) }),
    ]);
    expect(pending[0]!.next_attempt_at).toMatch(ISO_TIME);
    expect(await deliverySummary(node, partner.id)).toMatchObject({ pending: 1, failed: 0, last_error: expect.stringMatching(/cannot reach/) });

    const before = partner.emsp.pushes().length;
    await partner.emsp.restart();
    await settled(db, partner);
    const ours = await adminLocation(node, 'LOC1');
    expect(partner.emsp.pushes().slice(before).map(shape)).toEqual([{ method: 'PUT', path: at('LOC1'), body: ours }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
    expect(await deliveriesOf(node, partner.id)).toEqual([]);
  });

  it.each([
    ['HTTP 500', 'http-500', /HTTP 500/],
    ['OCPI 3000 on HTTP 200', 'ocpi-3000', /status_code 3000/],
    ['HTTP 200 that is not OCPI', 'garbage', /did not answer with an OCPI response/],
  ] as const)('when the partner answers %s twice, then the PATCH is retried as a full PUT until it is accepted', async (_label, fault, error) => {
    const { node, partner } = await acknowledgedLocation();
    const before = partner.emsp.pushes().length;
    partner.emsp.failPushes(fault, 2);
    expectOcpi(await statusChange(node, 'LOC1-E1', 'CHARGING'), 200, 1000);
    await settled(db, partner);

    const ours = await adminLocation(node, 'LOC1');
    const patch = { method: 'PATCH', path: at('LOC1', 'LOC1-E1'), body: { status: 'CHARGING', last_updated: ours.evses[0].last_updated } };
    const put = { method: 'PUT', path: at('LOC1'), body: ours };
    const received = partner.emsp.pushes().slice(before);
    expect(received.map(shape)).toEqual([patch, put, put]);
    expect(received.map((r) => r.fault)).toEqual([fault, fault, undefined]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
    expect(await deliverySummary(node, partner.id)).toMatchObject({ pending: 0, failed: 0, last_error: expect.stringMatching(error) });
  });

  it('when a partner recovers after failures, then its summary shows a success after the last error', async () => {
    // Quick retries: the recovery comes well within a second of the success before the failures.
    const { node, partner } = await acknowledgedLocation({ PUSH_BACKOFF_BASE_MS: '10', PUSH_BACKOFF_MAX_MS: '20' });
    partner.emsp.failPushes('http-500', 2);
    expectOcpi(await statusChange(node, 'LOC1-E1', 'CHARGING'), 200, 1000);
    await settled(db, partner);
    const summary = await deliverySummary(node, partner.id);
    expect(summary).toMatchObject({ pending: 0, failed: 0, last_error: expect.stringMatching(/HTTP 500/) });
    expect(summary.last_success_at).toMatch(ISO_TIME);
    expect(summary.last_error_at).toMatch(ISO_TIME);
    expect({ last_success_at: summary.last_success_at, after: Date.parse(summary.last_success_at) >= Date.parse(summary.last_error_at) }).toEqual({
      last_success_at: summary.last_success_at,
      after: true,
    });
  });

  it('when the partner hangs past PARTNER_TIMEOUT_MS, then the attempt is abandoned and retried as a full PUT', async () => {
    const { node, partner } = await acknowledgedLocation({ PARTNER_TIMEOUT_MS: '500' });
    const before = partner.emsp.pushes().length;
    partner.emsp.failPushes('hang', 1);
    expectOcpi(await statusChange(node, 'LOC1-E2', 'OUTOFORDER'), 200, 1000);
    await settled(db, partner);

    const received = partner.emsp.pushes().slice(before);
    expect(received.map((r) => [r.method, r.path, r.fault])).toEqual([
      ['PATCH', at('LOC1', 'LOC1-E2'), 'hang'],
      ['PUT', at('LOC1'), undefined],
    ]);
    expect(received[1]!.receivedAt! - received[0]!.receivedAt!).toBeGreaterThanOrEqual(500);
    expect((await deliverySummary(node, partner.id)).last_error).toMatch(/no answer from .* within 500 ms/);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });
});

describe('permanent failures are not retried, show in the admin API, and the next change is a full PUT', () => {
  it.each([
    ['HTTP 400', 'http-400', /HTTP 400/],
    ['HTTP 404', 'http-404', /HTTP 404/],
    ['OCPI 2001 on HTTP 200', 'ocpi-2001', /status_code 2001/],
  ] as const)('when the partner answers %s, then one attempt only, a failed delivery, and a full PUT on the next change', async (_label, fault, error) => {
    const { node, partner } = await acknowledgedLocation();
    const before = partner.emsp.pushes().length;
    partner.emsp.failPushes(fault as PushFault, 1);
    expectOcpi(await statusChange(node, 'LOC1-E1', 'CHARGING'), 200, 1000);

    const failed = await eventually(async () => {
      const list = await deliveriesOf(node, partner.id, 'failed');
      expect(list).toHaveLength(1);
      return list[0]!;
    });
    expect(failed).toEqual({
      module: 'locations',
      object: 'LOC1',
      status: 'FAILED',
      attempts: 1,
      last_error: expect.stringMatching(error),
      last_attempt_at: expect.stringMatching(ISO_TIME),
      next_attempt_at: null,
      changed_at: expect.stringMatching(ISO_TIME),
    });
    expect(await deliveriesOf(node, partner.id, 'pending')).toEqual([]);
    const summary = await deliverySummary(node, partner.id);
    expect(summary).toMatchObject({ pending: 0, failed: 1, last_error: failed.last_error });
    expect(summary.last_error_at).toMatch(ISO_TIME);
    await quietFor(350); // past the longest backoff (200 ms) plus a poll: a retry would have happened
    expect(partner.emsp.pushes().slice(before).map((r) => [r.method, r.path, r.fault])).toEqual([['PATCH', at('LOC1', 'LOC1-E1'), fault]]);

    const next = partner.emsp.pushes().length;
    expectOcpi(await statusChange(node, 'LOC1-E2', 'BLOCKED'), 200, 1000);
    await settled(db, partner);
    const ours = await adminLocation(node, 'LOC1');
    expect(partner.emsp.pushes().slice(next).map(shape)).toEqual([{ method: 'PUT', path: at('LOC1'), body: ours }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
    // Once the partner holds the location again, its earlier failure is resolved and no longer listed.
    expect(await deliveriesOf(node, partner.id, 'failed')).toEqual([]);
    expect(await deliverySummary(node, partner.id)).toMatchObject({ pending: 0, failed: 0 });
  });

  it('when transient failures go on, then attempts stop at PUSH_MAX_ATTEMPTS and the delivery is failed', async () => {
    const { node, partner } = await acknowledgedLocation({ PUSH_MAX_ATTEMPTS: '3' });
    const before = partner.emsp.pushes().length;
    partner.emsp.failPushes('http-500');
    expectOcpi(await statusChange(node, 'LOC1-E1', 'INOPERATIVE'), 200, 1000);

    const failed = await eventually(async () => {
      const list = await deliveriesOf(node, partner.id, 'failed');
      expect(list).toHaveLength(1);
      return list[0]!;
    });
    expect(failed).toMatchObject({ object: 'LOC1', status: 'FAILED', attempts: 3, last_error: expect.stringMatching(/HTTP 500/) });
    await quietFor(350);
    expect(partner.emsp.pushes().slice(before).map((r) => r.fault)).toEqual(['http-500', 'http-500', 'http-500']);
    expect(await deliverySummary(node, partner.id)).toMatchObject({ pending: 0, failed: 1 });

    partner.emsp.healPushes();
    const next = partner.emsp.pushes().length;
    expectOcpi(await statusChange(node, 'LOC1-E1', 'AVAILABLE'), 200, 1000);
    await settled(db, partner);
    expect(partner.emsp.pushes().slice(next).map(shape)).toEqual([{ method: 'PUT', path: at('LOC1'), body: await adminLocation(node, 'LOC1') }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a newer change arrives while the partner refuses the older one, then the newer state still arrives, as a full PUT', async () => {
    const { node, partner } = await acknowledgedLocation();
    const before = partner.emsp.pushes().length;
    partner.emsp.pushDelayMs = 300;
    partner.emsp.failPushes('http-400', 1);
    expectOcpi(await statusChange(node, 'LOC1-E1', 'CHARGING'), 200, 1000);
    await eventually(() => expect(partner.emsp.inFlightPushes).toBe(1));
    expectOcpi(await statusChange(node, 'LOC1-E1', 'BLOCKED'), 200, 1000);
    await settled(db, partner);

    const ours = await adminLocation(node, 'LOC1');
    expect(partner.emsp.pushes().slice(before).map(shape)).toEqual([
      { method: 'PATCH', path: at('LOC1', 'LOC1-E1'), body: { status: 'CHARGING', last_updated: expect.any(String) } },
      { method: 'PUT', path: at('LOC1'), body: ours },
    ]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
    expect(await deliveriesOf(node, partner.id, 'failed')).toEqual([]);
  });
});

describe('unregistered partners get nothing further', () => {
  it('when a partner is unregistered, then later changes are not delivered to it', async () => {
    const { node, partner } = await acknowledgedLocation();
    expectOcpi(await node.admin.delete(`/admin/partners/${partner.id}`), 200, 1000);
    const before = partner.emsp.pushes().length;
    expectOcpi(await statusChange(node, 'LOC1-E1', 'CHARGING'), 200, 1000);
    expectOcpi(await node.admin.put('/admin/locations/LOC2', locationBody('LOC2')), 201, 1000);
    await quietFor(350);
    expect(partner.emsp.pushes().slice(before)).toEqual([]);
    expect(await db.prisma.delivery.count({ where: { partnerId: partner.id } })).toBe(0);
  });

  it('when a partner is unregistered while a delivery to it waits for a retry, then the retry is dropped', async () => {
    const { node, partner } = await acknowledgedLocation({ PUSH_BACKOFF_BASE_MS: '1000', PUSH_BACKOFF_MAX_MS: '1000' });
    partner.emsp.failPushes('http-500');
    expectOcpi(await statusChange(node, 'LOC1-E1', 'CHARGING'), 200, 1000);
    await eventually(async () => expect((await deliveriesOf(node, partner.id, 'pending'))[0]?.attempts).toBe(1));
    const before = partner.emsp.pushes().length;
    expectOcpi(await node.admin.delete(`/admin/partners/${partner.id}`), 200, 1000);
    partner.emsp.healPushes();
    await eventually(async () => expect(await pendingCount(db, partner.id)).toBe(0), 3000);
    await quietFor(300);
    expect(partner.emsp.pushes().slice(before)).toEqual([]);
  });
});
