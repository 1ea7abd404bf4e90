import { randomUUID } from 'node:crypto';
import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminLocation,
  at,
  eventually,
  expectPartnerHolds,
  quietFor,
  registerPartner,
  settled,
  shape,
  startPushNode,
  type Partner,
  type PushNode,
} from './push-harness';

/** Issue 4.5: POST /admin/partners/{id}/resync queues a full PUT of every location to that partner. */

const IDS = ['LOC1', 'LOC2', 'LOC3'];

const db = databasePerSuite();
let node: PushNode;
let partner: Partner;
const others: Partner[] = [];

beforeEach(async () => {
  node = await startPushNode(db);
  partner = await registerPartner(node);
});
afterEach(async () => {
  for (const p of [partner, ...others.splice(0)]) await p.emsp.stop();
  await node.close();
});

async function locationsAcknowledged(): Promise<void> {
  for (const id of IDS) expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
  await settled(db, partner);
  for (const id of IDS) await expectPartnerHolds(node, partner.emsp, id);
}

const resync = (id: string, body: unknown = { module: 'locations' }) => node.admin.post(`/admin/partners/${id}/resync`, body);

async function expectFullPutsOfEverything(p: Partner, since: number): Promise<void> {
  await settled(db, p);
  const expected = await Promise.all(IDS.map(async (id) => ({ method: 'PUT', path: at(id), body: await adminLocation(node, id) })));
  const received = p.emsp.pushes().slice(since).map(shape);
  expect(received).toHaveLength(IDS.length);
  expect(received).toEqual(expect.arrayContaining(expected));
  for (const id of IDS) await expectPartnerHolds(node, p.emsp, id);
}

describe('resync of one partner', () => {
  it('when a resync is requested, then 202 and a full PUT of every location, even those it acknowledged', async () => {
    await locationsAcknowledged();
    const mark = partner.emsp.pushes().length;
    const res = await resync(partner.id);
    expectOcpi(res, 202, 1000);
    expect(res.body.data).toEqual({ module: 'locations', queued: IDS.length });
    await expectFullPutsOfEverything(partner, mark);
  });

  it("when the partner's copy has drifted, then the resync repairs it", async () => {
    await locationsAcknowledged();
    const copy = partner.emsp.locations.get('NL/CPO/LOC2')!;
    partner.emsp.locations.set('NL/CPO/LOC2', { ...copy, name: 'lost in the eMSP database', evses: copy.evses.slice(1) });
    partner.emsp.locations.delete('NL/CPO/LOC3');
    const mark = partner.emsp.pushes().length;
    expectOcpi(await resync(partner.id), 202, 1000);
    await expectFullPutsOfEverything(partner, mark);
  });

  it('when the partner registered after the locations existed, then a resync brings it every one', async () => {
    await locationsAcknowledged();
    const late = await registerPartner(node, { countryCode: 'BE', partyId: 'LAT' });
    others.push(late);
    expect(late.emsp.pushes()).toEqual([]);
    expectOcpi(await resync(late.id), 202, 1000);
    await expectFullPutsOfEverything(late, 0);
  });

  it('when only one partner is resynced, then the others get nothing', async () => {
    const other = await registerPartner(node, { countryCode: 'BE', partyId: 'OTH' });
    others.push(other);
    await locationsAcknowledged();
    await settled(db, other);
    const mark = other.emsp.pushes().length;
    expectOcpi(await resync(partner.id), 202, 1000);
    await settled(db, partner);
    await quietFor(200);
    expect(other.emsp.pushes().length).toBe(mark);
  });

  it('when a resync is requested while a delivery to that partner is in flight, then the partner still gets a full PUT and its drifted copy is repaired', async () => {
    await locationsAcknowledged();
    partner.emsp.locations.set('NL/CPO/LOC1', { ...partner.emsp.locations.get('NL/CPO/LOC1')!, name: 'drifted' });
    partner.emsp.pushDelayMs = 400;
    expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: 'CHARGING' }), 200, 1000);
    await eventually(() => expect(partner.emsp.inFlightPushes).toBe(1));
    const mark = partner.emsp.pushes().length;
    expectOcpi(await resync(partner.id), 202, 1000);
    await settled(db, partner);
    const received = partner.emsp.pushes().slice(mark).map(shape);
    expect(received.filter((r) => r.path === at('LOC1'))).toEqual([{ method: 'PUT', path: at('LOC1'), body: await adminLocation(node, 'LOC1') }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });
});

describe('what a resync refuses', () => {
  it('when the module is unknown, then 400 and nothing is queued', async () => {
    await locationsAcknowledged();
    const res = await resync(partner.id, { module: 'commands' });
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toMatch(/module/);
    expect(await db.prisma.delivery.count()).toBe(0);
  });

  it.each([
    ['no module', {}],
    ['a module that is not a string', { module: 7 }],
    ['an extra field', { module: 'locations', all: true }],
  ])('when the body has %s, then 400', async (_label, body) => {
    expectOcpi(await resync(partner.id, body), 400, 2001);
  });

  it('when the partner is unregistered, then 409', async () => {
    expectOcpi(await node.admin.delete(`/admin/partners/${partner.id}`), 200, 1000);
    expectOcpi(await resync(partner.id), 409, 2000);
  });

  it('when the partner has no locations RECEIVER endpoint, then 409', async () => {
    const without = await registerPartner(node, { countryCode: 'FR', partyId: 'NOL', locationsEndpoint: 'none' });
    others.push(without);
    expectOcpi(await resync(without.id), 409, 2000);
  });

  it('when the partner id is unknown, then 404', async () => {
    expectOcpi(await resync(randomUUID()), 404, 2000);
    expectOcpi(await resync('not-a-partner-id'), 404, 2000);
  });

  it('when resync is called with GET, then 405', async () => {
    expectOcpi(await node.admin.get(`/admin/partners/${partner.id}/resync`), 405, 2000);
  });
});
