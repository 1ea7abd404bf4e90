import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import { at, eventually, expectPartnerHolds, nodeWithPartnerPerTest, quietFor, settled, type Partner, type PushNode } from './push-harness';

/**
 * Issue 4.5: a claim's lease (PARTNER_TIMEOUT_MS + 5 s) is renewed before a request that starts more
 * than 1 s after the claim (or the last renewal), and only then; a delivery whose claim is gone by
 * then sends nothing more.
 */

jest.setTimeout(30_000);

const db = databasePerSuite();
const startNodeWithPartner = nodeWithPartnerPerTest(db);

const SLOW_ANSWER_MS = 1500;

/** LOC1 acknowledged, then both of its EVSEs changed in one write: one delivery of two PATCHes, each answered after `answerMs`. */
async function twoRequestDelivery(answerMs: number): Promise<{ node: PushNode; partner: Partner }> {
  const { node, partner } = await startNodeWithPartner({ PARTNER_TIMEOUT_MS: '10000' });
  expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
  await settled(db, partner);
  partner.emsp.pushDelayMs = answerMs;
  const body = locationBody('LOC1');
  body.evses = body.evses.map((evse) => ({ ...evse, status: 'CHARGING' }));
  expectOcpi(await node.admin.put('/admin/locations/LOC1', body), 200, 1000);
  return { node, partner };
}

async function claimedRow() {
  const row = await db.prisma.delivery.findFirst({ where: { objectKey: 'LOC1', claimToken: { not: null } } });
  expect(row?.lockedUntil).toBeInstanceOf(Date);
  return row!;
}

describe('leases of deliveries with several requests', () => {
  it('when the second request starts within 1 s of the claim, then the lease is left as it was (no renewal round trip)', async () => {
    const { partner } = await twoRequestDelivery(300);
    const before = partner.emsp.pushes().length;
    const claimed = await eventually(claimedRow);
    await eventually(() => expect(partner.emsp.pushes().length - before).toBe(2), 3000);
    const during = await claimedRow();
    expect(during.claimToken).toBe(claimed.claimToken);
    expect(during.lockedUntil).toEqual(claimed.lockedUntil);
    await settled(db, partner);
  });

  it('when the first request took longer than 1 s, then the lease is extended before the second, which is sent', async () => {
    const { node, partner } = await twoRequestDelivery(SLOW_ANSWER_MS);
    const before = partner.emsp.pushes().length;
    const claimed = await eventually(claimedRow);

    await eventually(() => expect(partner.emsp.pushes().length - before).toBe(2), 8000);
    const renewed = await claimedRow();
    expect(renewed.claimToken).toBe(claimed.claimToken);
    expect(renewed.lockedUntil!.getTime()).toBeGreaterThanOrEqual(claimed.lockedUntil!.getTime() + SLOW_ANSWER_MS - 500);

    await settled(db, partner, 8000);
    expect(partner.emsp.pushes().slice(before).map((r) => [r.method, r.path])).toEqual([
      ['PATCH', at('LOC1', 'LOC1-E1')],
      ['PATCH', at('LOC1', 'LOC1-E2')],
    ]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when the claim is gone by the time the lease needs renewing, then no further request is sent', async () => {
    const { partner } = await twoRequestDelivery(SLOW_ANSWER_MS);
    const before = partner.emsp.pushes().length;
    await eventually(() => expect(partner.emsp.pushes().length - before).toBe(1), 3000);
    // What an expired lease taken over by another process, or an unregistration, leaves behind.
    await db.prisma.delivery.deleteMany({ where: { objectKey: 'LOC1' } });

    await quietFor(SLOW_ANSWER_MS + 1500);
    expect(partner.emsp.pushes().slice(before).map((r) => [r.method, r.path])).toEqual([['PATCH', at('LOC1', 'LOC1-E1')]]);
  });
});
