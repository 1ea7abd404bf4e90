import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { deliveriesOf, eventually, nodeWithPartnerPerTest, settled, type Partner, type PushNode } from '../push/push-harness';
import { scrape } from './metrics-api';

/** Issue 13 item 1: the push series while a partner accepts, fails, falls behind and goes down. */

jest.setTimeout(30_000);

const db = databasePerSuite();
const startNodeWithPartner = nodeWithPartnerPerTest(db);

// Outcomes are counted once they are stored: a scrape may come just between the two, hence `eventually`.

const putLocation = async (node: PushNode, id: string) => expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);

/** The push series of one partner's locations, read from a fresh scrape. */
async function locationSeries(node: PushNode, partner: Partner) {
  const scraped = await scrape(node);
  const of = { partner: partner.id, module: 'locations' };
  const outcome = (name: string) => scraped.value('ocpi_push_deliveries_total', { ...of, outcome: name }) ?? 0;
  return {
    delivered: outcome('delivered'),
    retried: outcome('retry'),
    failed: outcome('failed'),
    unreachable: outcome('unreachable'),
    requests: scraped.observations('ocpi_push_request_duration_seconds', of),
    queueDepth: scraped.value('ocpi_push_queue_depth', of),
    oldestAgeS: scraped.value('ocpi_push_oldest_pending_age_seconds', of),
    failedRows: scraped.value('ocpi_push_failed_deliveries', of),
    reachable: scraped.value('ocpi_partner_reachable', { partner: partner.id }),
  };
}

it('when the partner accepts, then fails once, then refuses for good, then each outcome is counted with the request latency', async () => {
  const { node, partner } = await startNodeWithPartner();
  expect(await locationSeries(node, partner)).toEqual({
    delivered: 0, retried: 0, failed: 0, unreachable: 0, requests: 0, queueDepth: 0, oldestAgeS: 0, failedRows: 0, reachable: 1,
  });

  await putLocation(node, 'LOC1');
  await settled(db, partner);
  await eventually(async () => expect(await locationSeries(node, partner)).toMatchObject({ delivered: 1, retried: 0, failed: 0, requests: 1, queueDepth: 0, reachable: 1 }));

  partner.emsp.failPushes('http-500', 1);
  await putLocation(node, 'LOC2');
  await settled(db, partner);
  await eventually(async () => expect(await locationSeries(node, partner)).toMatchObject({ delivered: 2, retried: 1, failed: 0, requests: 3, queueDepth: 0 }));

  partner.emsp.failPushes('http-400');
  await putLocation(node, 'LOC3');
  await eventually(async () => expect(await deliveriesOf(node, partner.id, 'failed')).toHaveLength(1));
  await eventually(async () => expect(await locationSeries(node, partner)).toMatchObject({ delivered: 2, retried: 1, failed: 1, requests: 4, queueDepth: 0, failedRows: 1, reachable: 1 }));
});

it('when deliveries are pending, then queue depth and oldest age are read from the database, the same from every node on it', async () => {
  const { node, partner } = await startNodeWithPartner({ PUSH_ENABLED: 'false' });
  await putLocation(node, 'OLD');
  await putLocation(node, 'NEW');
  await db.prisma.$executeRaw`UPDATE deliveries SET changed_at = now() - interval '1 hour' WHERE partner_id = ${partner.id}::uuid AND object_key = 'OLD'`;

  const series = await locationSeries(node, partner);
  expect(series.queueDepth).toBe(2);
  expect(series.oldestAgeS).toBeGreaterThanOrEqual(3600);
  expect(series.oldestAgeS).toBeLessThan(3600 + 600);

  const other = await startTestApp(db);
  try {
    const seen = await scrape(other);
    expect(seen.value('ocpi_push_queue_depth', { partner: partner.id, module: 'locations' })).toBe(2);
    expect(seen.value('ocpi_push_queue_depth', { partner: partner.id, module: 'tariffs' })).toBe(0);
  } finally {
    await other.close();
  }
});

it('when the partner stops answering, then it shows as unreachable with its deliveries pending', async () => {
  const { node, partner } = await startNodeWithPartner({ PUSH_UNREACHABLE_AFTER: '1' });
  await partner.emsp.stop();
  await putLocation(node, 'DOWN1');

  const down = await eventually(async () => {
    const series = await locationSeries(node, partner);
    expect(series.reachable).toBe(0);
    // The failure that makes it unreachable is still retried as usual; those after it wait for the partner.
    expect(series.retried + series.unreachable).toBeGreaterThanOrEqual(1);
    return series;
  });
  expect(down).toMatchObject({ delivered: 0, failed: 0, queueDepth: 1, failedRows: 0 });
  expect(down.requests).toBeGreaterThanOrEqual(down.retried + down.unreachable);
  expect((await scrape(node)).value('ocpi_partner_consecutive_failures', { partner: partner.id })).toBeGreaterThanOrEqual(1);
});
