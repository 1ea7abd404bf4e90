import { DownPartner } from '../../helpers/down-partner';
import type { PushFault } from '../../helpers/fake-emsp';
import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import { deliveriesOf, eventually, expectPartnerHolds, logEntries, nodeWithPartnerPerTest, quietFor, settled, type Partner, type PushNode } from './push-harness';

/**
 * Issue 8 item 6: what counts as a partner being down (no HTTP answer at all), what does not (any
 * answer, however wrong), and what ends the state besides a probe. The partner taken down with
 * hundreds of deliveries pending is partner-down.test.ts.
 */

jest.setTimeout(30_000);

const db = databasePerSuite();
const startNodeWithPartner = nodeWithPartnerPerTest(db);

async function reachabilityOf(node: PushNode, partnerId: string): Promise<Record<string, any>> {
  const res = await node.admin.get(`/admin/partners/${partnerId}`);
  expectOcpi(res, 200, 1000);
  return res.body.data.reachability;
}

const unreachable = (node: PushNode, partner: Partner) =>
  eventually(async () => expect((await reachabilityOf(node, partner.id)).state).toBe('UNREACHABLE'), 5000);

async function createLocations(node: PushNode, ids: string[]): Promise<void> {
  for (const id of ids) expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
}

const messages = (node: PushNode, partner: Partner, message: string) => logEntries(node).filter((e) => e.partner === partner.id && e.message === message);

describe('a partner that answers, however wrongly, is reachable', () => {
  it.each([
    ['HTTP 500', 'http-500'],
    ['HTTP 200 that is not OCPI', 'garbage'],
    ['OCPI 3000 on HTTP 200', 'ocpi-3000'],
  ] as const)('when it answers %s to every push, then it is never unreachable and every delivery is retried on its own until it gives up', async (_label, fault: PushFault) => {
    const { node, partner } = await startNodeWithPartner({ PUSH_UNREACHABLE_AFTER: '2', PUSH_MAX_ATTEMPTS: '5' });
    partner.emsp.failPushes(fault);
    const ids = ['H1', 'H2', 'H3', 'H4'];
    await createLocations(node, ids);

    await eventually(async () => expect(await deliveriesOf(node, partner.id, 'failed')).toHaveLength(ids.length), 10_000);
    const attempts = (id: string) => partner.emsp.pushes().filter((r) => r.path.endsWith(`/${id}`)).length;
    expect(ids.map(attempts)).toEqual(ids.map(() => 5));
    expect(await reachabilityOf(node, partner.id)).toEqual({ state: 'REACHABLE', consecutive_failures: 0 });
    expect([...messages(node, partner, 'partner unreachable'), ...messages(node, partner, 'partner probe')]).toEqual([]);
  });

  it('when it refuses fewer times in a row than PUSH_UNREACHABLE_AFTER, then the count shows while it stays reachable, and its first answer resets it', async () => {
    const { node, partner } = await startNodeWithPartner({ PUSH_UNREACHABLE_AFTER: '50' });
    await partner.emsp.stop();
    await createLocations(node, ['B1']);
    await eventually(async () => expect((await deliveriesOf(node, partner.id, 'pending'))[0]?.attempts).toBeGreaterThanOrEqual(2));
    const during = await reachabilityOf(node, partner.id);
    expect(during).toEqual({ state: 'REACHABLE', consecutive_failures: expect.any(Number) });
    expect(during.consecutive_failures).toBeGreaterThanOrEqual(2);

    await partner.emsp.restart();
    await settled(db, partner);
    expect(await reachabilityOf(node, partner.id)).toEqual({ state: 'REACHABLE', consecutive_failures: 0 });
  });
});

describe('watching a partner with conditional GETs', () => {
  it('when a client polls the partner with If-None-Match, then 304 while nothing changed, and 200 with the new state once the partner is down', async () => {
    const { node, partner } = await startNodeWithPartner({ PUSH_UNREACHABLE_AFTER: '2' });
    const first = await node.admin.get(`/admin/partners/${partner.id}`);
    expectOcpi(first, 200, 1000);
    const seen = first.headers.etag!;
    expect((await node.admin.get(`/admin/partners/${partner.id}`, { 'If-None-Match': seen })).status).toBe(304);

    await partner.emsp.stop();
    await createLocations(node, ['W1', 'W2', 'W3']);
    await eventually(async () => {
      const polled = await node.admin.get(`/admin/partners/${partner.id}`, { 'If-None-Match': seen });
      expectOcpi(polled, 200, 1000);
      expect(polled.body.data.reachability.state).toBe('UNREACHABLE');
      expect(polled.headers.etag).not.toBe(seen);
    }, 5000);
  });
});

describe('what ends the unreachable state besides a probe', () => {
  it('when the partner updates its credentials while unreachable, then it is probed at once rather than at its next probe time', async () => {
    const { node, partner } = await startNodeWithPartner({ PUSH_BACKOFF_BASE_MS: '20000', PUSH_BACKOFF_MAX_MS: '20000' });
    await partner.emsp.stop();
    const ids = ['U1', 'U2', 'U3', 'U4'];
    await createLocations(node, ids);
    await unreachable(node, partner);
    const { next_probe_at } = await reachabilityOf(node, partner.id);
    expect(Date.parse(next_probe_at) - Date.now()).toBeGreaterThan(5000);

    await partner.emsp.restart();
    partner.emsp.acceptedTokens.add('rotated-b');
    const res = await partner.emsp.callNode('PUT', `${node.baseUrl}/ocpi/2.2.1/credentials`, partner.emsp.ourCredentials('rotated-b'));
    expect([res.status, res.body.status_code]).toEqual([200, 1000]);
    await settled(db, partner, 3000);
    expect(await reachabilityOf(node, partner.id)).toEqual({ state: 'REACHABLE', consecutive_failures: 0 });
    for (const id of ids) await expectPartnerHolds(node, partner.emsp, id);
    expect(messages(node, partner, 'partner reachable')).toHaveLength(1);
  });

  it('when an unreachable partner is unregistered, then its queue is dropped, it is no longer probed, and its state is cleared', async () => {
    const { node, partner } = await startNodeWithPartner();
    const port = Number(new URL(partner.emsp.baseUrl).port);
    await partner.emsp.stop();
    const down = await DownPartner.listen(port, 'reset');
    try {
      await createLocations(node, ['D1', 'D2', 'D3', 'D4']);
      await unreachable(node, partner);
      expectOcpi(await node.admin.delete(`/admin/partners/${partner.id}`), 200, 1000);
      const after = down.connections;
      await quietFor(600); // three times the longest probe backoff (200 ms)
      expect(down.connections).toBe(after);
      expect(await db.prisma.delivery.count({ where: { partnerId: partner.id } })).toBe(0);
      expect(await reachabilityOf(node, partner.id)).toEqual({ state: 'REACHABLE', consecutive_failures: 0 });
    } finally {
      await down.stop();
    }
  });
});

describe('time spent paused', () => {
  it('when a partner was unreachable for longer than PUSH_MAX_AGE_MS and comes back answering errors, then its deliveries are retried, not given up', async () => {
    const { node, partner } = await startNodeWithPartner({ PUSH_MAX_AGE_MS: '1000' });
    await partner.emsp.stop();
    const ids = ['A1', 'A2', 'A3', 'A4', 'A5'];
    await createLocations(node, ids);
    await unreachable(node, partner);
    await quietFor(1500);

    partner.emsp.failPushes('http-500', 3);
    await partner.emsp.restart();
    await settled(db, partner, 5000);
    expect(await deliveriesOf(node, partner.id, 'failed')).toEqual([]);
    expect(messages(node, partner, 'push gave up')).toEqual([]);
    expect(partner.emsp.pushes().filter((r) => r.fault === 'http-500')).toHaveLength(3);
    for (const id of ids) await expectPartnerHolds(node, partner.emsp, id);
  });
});
