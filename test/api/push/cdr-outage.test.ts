import { cdrBody } from '../../helpers/cdr-factory';
import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import { deliveriesOf, eventually, quietFor, registerPartner, settled, startPushNode, type Partner, type PushNode } from './push-harness';

/**
 * Issue 10 item 6: a CDR through a 3-hour outage of its owner. Three hours are not waited for: the
 * outbox's clock is moved instead, by ageing the partner's delivery rows (and its outage) by three
 * hours, which is all the worker reads time from. Beside the CDR, a location change aged the same way
 * shows that three hours are past the horizon of location changes (PUSH_MAX_AGE_MS, 1 hour), while a
 * CDR's (PUSH_CDR_MAX_AGE_MS) is 7 days and knows no attempt limit.
 */

jest.setTimeout(30_000);

const db = databasePerSuite();
let node: PushNode;
let owner: Partner;

beforeEach(async () => {
  node = await startPushNode(db, { PUSH_MAX_ATTEMPTS: '5', PUSH_UNREACHABLE_AFTER: '3' });
  owner = await registerPartner(node, { countryCode: 'DE', partyId: 'AAA', cdrsReceiver: true });
  expectOcpi(await node.admin.put('/admin/locations/L1', locationBody('L1')), 201, 1000);
  await settled(db, owner);
});

afterEach(async () => {
  await owner.emsp.stop();
  await node.close();
});

/** Three hours pass for the outbox: the partner's deliveries (and an ongoing outage) are that much older. */
async function threeHoursPass(partnerId: string): Promise<void> {
  await db.prisma.$executeRaw`
    UPDATE deliveries SET changed_at = changed_at - interval '3 hours', created_at = created_at - interval '3 hours' WHERE partner_id = ${partnerId}::uuid`;
  await db.prisma.$executeRaw`
    UPDATE partner_push_stats SET unreachable_since = unreachable_since - interval '3 hours' WHERE partner_id = ${partnerId}::uuid`;
}

async function attemptsOf(partnerId: string, module: string): Promise<number> {
  const row = await db.prisma.delivery.findFirst({ where: { partnerId, module } });
  return row?.attempts ?? 0;
}

async function deliveredCdrs(partnerId: string): Promise<Record<string, any>[]> {
  const res = await node.admin.get(`/admin/partners/${partnerId}/deliveries?status=delivered`);
  expectOcpi(res, 200, 1000);
  return res.body.data;
}

describe('a CDR through a 3-hour outage of its owner', () => {
  it('when the owner answers errors for three hours, then the location change is given up after its hour and its attempts, but the CDR is still retried and arrives once', async () => {
    owner.emsp.failPushes('http-500');
    expectOcpi(await node.admin.post('/admin/cdrs', cdrBody('CDR-1')), 201, 1000);
    expectOcpi(await node.admin.patch('/admin/locations/L1', { name: 'Renamed during the outage' }), 200, 1000);
    await eventually(async () => expect(await attemptsOf(owner.id, 'cdrs')).toBeGreaterThanOrEqual(2));

    await threeHoursPass(owner.id);
    await eventually(async () => expect(await deliveriesOf(node, owner.id, 'failed')).toEqual([expect.objectContaining({ module: 'locations', object: 'L1' })]), 10_000);
    await eventually(async () => expect(await attemptsOf(owner.id, 'cdrs')).toBeGreaterThan(5), 10_000);
    expect(await deliveredCdrs(owner.id)).toEqual([]);

    owner.emsp.healPushes();
    await eventually(async () => expect(await deliveredCdrs(owner.id)).toEqual([expect.objectContaining({ object: 'CDR-1', location: owner.emsp.cdrs.get('NL/CPO/CDR-1')?.location })]), 10_000);
    await quietFor(300);
    expect(owner.emsp.cdrs.size).toBe(1);
    expect(owner.emsp.cdrPosts().filter((r) => !r.fault)).toHaveLength(1);
  });

  it('when the owner cannot be reached at all for three hours, then the CDR waits for it (probed, not given up) and arrives once when it is back', async () => {
    await owner.emsp.stop();
    expectOcpi(await node.admin.post('/admin/cdrs', cdrBody('CDR-1')), 201, 1000);
    await eventually(async () => {
      const res = await node.admin.get(`/admin/partners/${owner.id}`);
      expect(res.body.data.reachability.state).toBe('UNREACHABLE');
    });
    await threeHoursPass(owner.id);
    await quietFor(500);
    expect(await deliveriesOf(node, owner.id, 'failed')).toEqual([]);

    await owner.emsp.restart();
    await eventually(async () => expect(await deliveredCdrs(owner.id)).toEqual([expect.objectContaining({ object: 'CDR-1', location: owner.emsp.cdrs.get('NL/CPO/CDR-1')?.location })]), 15_000);
    await quietFor(300);
    expect(owner.emsp.cdrPosts()).toHaveLength(1);
  });
});
