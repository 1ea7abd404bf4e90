import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { fullTariffBody, tariffBody } from '../../helpers/tariff-factory';
import { databasePerSuite } from '../../helpers/test-database';
import type { RecordedRequest } from '../../helpers/fake-emsp';
import {
  deliveriesOf,
  eventually,
  expectPartnerHolds,
  expectWritten,
  quietFor,
  registerPartner,
  settled,
  shape,
  startPushNode,
  type Partner,
  type PushNode,
} from './push-harness';

/**
 * Issue 9 item 6: tariffs are PUT whole to every partner with a tariffs RECEIVER and DELETEd when
 * gone, and a partner never receives a connector naming a tariff it has not acknowledged: that
 * delivery waits for the tariff's own.
 */

jest.setTimeout(30_000);

const db = databasePerSuite();
let node: PushNode;
const partners: Partner[] = [];

afterEach(async () => {
  for (const partner of partners.splice(0)) await partner.emsp.stop();
  await node?.close();
});

async function start(env: Record<string, string> = {}): Promise<void> {
  node = await startPushNode(db, env);
}

async function partnerWithTariffs(options: { tariffsReceiver?: boolean } = {}): Promise<Partner> {
  const partner = await registerPartner(node, { tariffsReceiver: options.tariffsReceiver ?? true });
  partners.push(partner);
  return partner;
}

const TARIFFS = '/ocpi/2.2.1/tariffs/NL/CPO';

async function adminTariff(id: string): Promise<Record<string, any>> {
  const res = await node.admin.get(`/admin/tariffs/${id}`);
  expectOcpi(res, 200, 1000, Tariff);
  return res.body.data;
}

/** The partner holds exactly these tariffs, each as the admin API serves it. */
async function expectPartnerHoldsTariffs(partner: Partner, ids: string[]): Promise<void> {
  expect([...partner.emsp.tariffs.keys()].sort()).toEqual(ids.map((id) => `NL/CPO/${id.toUpperCase()}`).sort());
  for (const id of ids) expect(partner.emsp.tariffs.get(`NL/CPO/${id.toUpperCase()}`)).toEqual(await adminTariff(id));
}

/** Index in the partner's requests of the first one matching. */
const firstIndex = (requests: RecordedRequest[], match: (r: RecordedRequest) => boolean) => requests.findIndex(match);

const locationNaming = (id: string, tariffIds: string[]) =>
  locationBody(id, { evses: [evseBody(`${id}-E1`, { connectors: [connectorBody('1', { tariff_ids: tariffIds })] })] });

describe('tariffs reach partners with a tariffs RECEIVER', () => {
  it('when a tariff is created and changed, then each change is PUT whole, and a partner without a tariffs RECEIVER gets nothing', async () => {
    await start();
    const receiving = await partnerWithTariffs();
    const other = await partnerWithTariffs({ tariffsReceiver: false });
    expectWritten(await node.admin.put('/admin/tariffs/T1', fullTariffBody('T1')));
    await settled(db, receiving);
    const created = await adminTariff('T1');
    expectWritten(await node.admin.put('/admin/tariffs/T1', fullTariffBody('T1', { currency: 'CHF' })));
    await settled(db, receiving);
    const changed = await adminTariff('T1');

    expect(receiving.emsp.tariffPushes().map(shape)).toEqual([
      { method: 'PUT', path: `${TARIFFS}/T1`, body: created },
      { method: 'PUT', path: `${TARIFFS}/T1`, body: changed },
    ]);
    await expectPartnerHoldsTariffs(receiving, ['T1']);
    expect(other.emsp.tariffPushes()).toEqual([]);
    expect(await db.prisma.delivery.count({ where: { partnerId: other.id } })).toBe(0);
  });

  it('when the same tariff is PUT again unchanged, then nothing is sent', async () => {
    await start();
    const partner = await partnerWithTariffs();
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    await settled(db, partner);
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    await quietFor(300);
    expect(partner.emsp.tariffPushes()).toHaveLength(1);
  });

  it('when a tariff is deleted, then the partner receives a DELETE and no longer holds it', async () => {
    await start();
    const partner = await partnerWithTariffs();
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    expectWritten(await node.admin.put('/admin/tariffs/T2', tariffBody('T2')));
    await settled(db, partner);
    expectOcpi(await node.admin.delete('/admin/tariffs/T1'), 200, 1000);
    await settled(db, partner);
    expect(partner.emsp.tariffPushes().at(-1)).toMatchObject({ method: 'DELETE', path: `${TARIFFS}/T1` });
    await expectPartnerHoldsTariffs(partner, ['T2']);
  });

  it('when the partner answers a DELETE with 404 (it never held the tariff), then the delivery is done, not failed', async () => {
    await start();
    const partner = await partnerWithTariffs();
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    await settled(db, partner);
    partner.emsp.tariffs.clear();
    expectOcpi(await node.admin.delete('/admin/tariffs/T1'), 200, 1000);
    await settled(db, partner);
    expect(partner.emsp.tariffPushes().at(-1)).toMatchObject({ method: 'DELETE', path: `${TARIFFS}/T1` });
    expect(await deliveriesOf(node, partner.id, 'failed')).toEqual([]);
    expect(await db.prisma.partnerObject.count({ where: { partnerId: partner.id, module: 'tariffs' } })).toBe(0);
  });
});

describe('a partner receives each tariff before the connector that names it', () => {
  it('when a tariff and a location naming it are written back to back, then the tariff arrives first', async () => {
    await start();
    const partner = await partnerWithTariffs();
    partner.emsp.tariffDelayMs = 300;
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    expectWritten(await node.admin.put('/admin/locations/L1', locationNaming('L1', ['T1'])));
    await settled(db, partner);
    const requests = partner.emsp.requests;
    expect(firstIndex(requests, (r) => r.path === `${TARIFFS}/T1`)).toBeLessThan(firstIndex(requests, (r) => r.path.startsWith('/ocpi/2.2.1/locations/')));
    expect(partner.emsp.unknownTariffReferences).toEqual([]);
    await expectPartnerHolds(node, partner.emsp, 'L1');
  });

  it('when the partner is down while tariffs and the connectors naming them change, then once back it gets every tariff before the connector naming it, and converges', async () => {
    await start({ PUSH_UNREACHABLE_AFTER: '2', PUSH_BACKOFF_BASE_MS: '50', PUSH_BACKOFF_MAX_MS: '200' });
    const partner = await partnerWithTariffs();
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    expectWritten(await node.admin.put('/admin/locations/L1', locationNaming('L1', ['T1'])));
    await settled(db, partner);
    await partner.emsp.stop();
    const sentBefore = partner.emsp.requests.length;

    expectWritten(await node.admin.put('/admin/tariffs/T2', tariffBody('T2', { currency: 'GBP' })));
    expectWritten(await node.admin.put('/admin/locations/L2', locationNaming('L2', ['T2', 'T1'])));
    expectWritten(await node.admin.put('/admin/tariffs/T3', tariffBody('T3')));
    expectWritten(await node.admin.patch('/admin/locations/L1/evses/L1-E1/connectors/1', { tariff_ids: ['T3'] }));
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1', { type: 'REGULAR' })));
    const waiting = await deliveriesOf(node, partner.id, 'pending');
    expect(waiting.map((d) => `${d.module} ${d.object}`).sort()).toEqual(['locations L1', 'locations L2', 'tariffs T1', 'tariffs T2', 'tariffs T3']);

    partner.emsp.tariffDelayMs = 300;
    await partner.emsp.restart();
    await settled(db, partner, 15_000);
    expect(partner.emsp.unknownTariffReferences).toEqual([]);
    const requests = partner.emsp.requests.slice(sentBefore);
    const tariffAt = (id: string) => firstIndex(requests, (r) => r.method === 'PUT' && r.path === `${TARIFFS}/${id}`);
    expect(tariffAt('T3')).toBeGreaterThanOrEqual(0);
    expect(tariffAt('T3')).toBeLessThan(firstIndex(requests, (r) => r.path.startsWith('/ocpi/2.2.1/locations/NL/CPO/L1')));
    expect(tariffAt('T2')).toBeGreaterThanOrEqual(0);
    expect(tariffAt('T2')).toBeLessThan(firstIndex(requests, (r) => r.path.startsWith('/ocpi/2.2.1/locations/NL/CPO/L2')));
    await expectPartnerHoldsTariffs(partner, ['T1', 'T2', 'T3']);
    await expectPartnerHolds(node, partner.emsp, 'L1');
    await expectPartnerHolds(node, partner.emsp, 'L2');
  });

  it('when a partner registers after the tariffs existed, then a change of a location naming one first brings it the tariff', async () => {
    await start();
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    expectWritten(await node.admin.put('/admin/locations/L1', locationNaming('L1', ['T1'])));
    const partner = await partnerWithTariffs();
    expectWritten(await node.admin.put('/admin/locations/L1', { ...locationNaming('L1', ['T1']), name: 'Renamed' }));
    await settled(db, partner);
    expect(partner.emsp.unknownTariffReferences).toEqual([]);
    expect(partner.emsp.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`).filter((p) => !p.includes('credentials'))).toEqual([
      `PUT ${TARIFFS}/T1`,
      'PUT /ocpi/2.2.1/locations/NL/CPO/L1',
    ]);
    await expectPartnerHoldsTariffs(partner, ['T1']);
    await expectPartnerHolds(node, partner.emsp, 'L1');
  });

  it('when the tariff is refused for good, then the location naming it is never sent, fails naming the tariff, and a resync of both heals it', async () => {
    await start({ PUSH_MAX_ATTEMPTS: '3' });
    const partner = await partnerWithTariffs();
    partner.emsp.failPushes('http-400');
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    expectWritten(await node.admin.put('/admin/locations/L1', locationNaming('L1', ['T1'])));
    await eventually(async () => {
      const failed = await deliveriesOf(node, partner.id, 'failed');
      expect(failed.find((d) => d.module === 'locations')).toMatchObject({ object: 'L1', last_error: expect.stringContaining('tariffs T1') });
    }, 10_000);
    expect(partner.emsp.pushes().filter((r) => r.method !== 'GET')).toEqual([]);

    partner.emsp.healPushes();
    expectOcpi(await node.admin.post(`/admin/partners/${partner.id}/resync`, { module: 'tariffs' }), 202, 1000);
    expectOcpi(await node.admin.post(`/admin/partners/${partner.id}/resync`, { module: 'locations' }), 202, 1000);
    await settled(db, partner, 10_000);
    expect(partner.emsp.unknownTariffReferences).toEqual([]);
    await expectPartnerHoldsTariffs(partner, ['T1']);
    await expectPartnerHolds(node, partner.emsp, 'L1');
  });
});

describe('resync { module: "tariffs" }', () => {
  it('when the operator resyncs tariffs, then every tariff is PUT whole again', async () => {
    await start();
    const partner = await partnerWithTariffs();
    for (const id of ['T1', 'T2', 'T3']) expectWritten(await node.admin.put(`/admin/tariffs/${id}`, tariffBody(id)));
    await settled(db, partner);
    partner.emsp.tariffs.clear();
    const res = await node.admin.post(`/admin/partners/${partner.id}/resync`, { module: 'tariffs' });
    expectOcpi(res, 202, 1000);
    expect(res.body.data).toEqual({ module: 'tariffs', queued: 3 });
    await settled(db, partner);
    await expectPartnerHoldsTariffs(partner, ['T1', 'T2', 'T3']);
  });

  it('when the partner has no tariffs RECEIVER, then the resync is refused with 409 and nothing is queued', async () => {
    await start();
    const partner = await partnerWithTariffs({ tariffsReceiver: false });
    expectWritten(await node.admin.put('/admin/tariffs/T1', tariffBody('T1')));
    expectOcpi(await node.admin.post(`/admin/partners/${partner.id}/resync`, { module: 'tariffs' }), 409, 2000);
    expect(await db.prisma.delivery.count({ where: { partnerId: partner.id } })).toBe(0);
  });
});
