import { randomUUID } from 'node:crypto';
import { ReconcileReport } from '../../../src/modules/locations/reconcile-report.schema';
import { decodeToken, type LocationsListMode } from '../../helpers/fake-emsp';
import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminLocation,
  at,
  deliveriesOf,
  expectPartnerHolds,
  logEntries,
  pendingCount,
  RECEIVER,
  registerPartner,
  settled,
  shape,
  startPushNode,
  type Partner,
  type PushNode,
} from './push-harness';

/** Issue 13.5: POST /admin/partners/{id}/reconcile compares an eMSP's stored locations with ours (the receiver list extension). */

const IDS = ['LOC1', 'LOC2', 'LOC3', 'LOC4', 'LOC5'];
const LIST = `${RECEIVER}/NL/CPO`;

const db = databasePerSuite();
let node: PushNode;
let partner: Partner;
const others: Partner[] = [];

beforeEach(async () => {
  node = await startPushNode(db);
  partner = await registerPartner(node);
  partner.emsp.locationsList = 'on';
  partner.emsp.locationsPageLimit = 2;
});
afterEach(async () => {
  for (const p of [partner, ...others.splice(0)]) await p.emsp.stop();
  await node.close();
});

const reconcile = (body: unknown = { module: 'locations' }, id = partner.id) => node.admin.post(`/admin/partners/${id}/reconcile`, body);

async function locationsAcknowledged(): Promise<void> {
  for (const id of IDS) expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
  await settled(db, partner);
  for (const id of IDS) await expectPartnerHolds(node, partner.emsp, id);
}

const held = (id: string) => partner.emsp.locations.get(`NL/CPO/${id}`)!;

/** LOC2 stale (another name), LOC3 gone, LOC4 missing an EVSE, LOC5 the same in another form; two locations we never had. */
function driftTheCopy(): void {
  const emsp = partner.emsp;
  emsp.holdLocation({ ...held('LOC2'), name: 'renamed in the eMSP database' });
  emsp.locations.delete('NL/CPO/LOC3');
  emsp.holdLocation({ ...held('LOC4'), evses: held('LOC4').evses.slice(1) });
  const loc5 = held('LOC5');
  emsp.holdLocation({ ...loc5, evses: [...loc5.evses].reverse(), directions: null, last_updated: loc5.last_updated.replace(/Z$/, '') });
  emsp.holdLocation({ ...held('LOC1'), id: 'GHOST1', name: 'a location we never had' });
  emsp.holdLocation({ ...held('LOC1'), id: 'GHOST2' });
}

async function expectNothingQueued(): Promise<void> {
  expect(await pendingCount(db, partner.id)).toBe(0);
  expect(await deliveriesOf(node, partner.id)).toEqual([]);
}

describe('reconcile of a partner offering the receiver list extension', () => {
  it('when the copy is stale, partial and holds extras, then the counts are right and exactly the missing and different ones are PUT whole', async () => {
    await locationsAcknowledged();
    driftTheCopy();
    const mark = partner.emsp.pushes().length;

    const res = await reconcile();

    expectOcpi(res, 200, 1000, ReconcileReport);
    expect(res.body.data).toEqual({
      missing: 1, different: 2, extra: 2, queued: 3,
      samples: { missing: ['LOC3'], different: ['LOC2', 'LOC4'], extra: ['GHOST1', 'GHOST2'] },
    });
    const pages = partner.emsp.locationsListRequests();
    // Six held (LOC3 gone, two extras), two a page: the node follows Link, lowering its limit to the X-Limit.
    expect(pages.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([`GET ${LIST}?offset=0&limit=100`, `GET ${LIST}?offset=2&limit=2`, `GET ${LIST}?offset=4&limit=2`]);
    for (const page of pages) {
      expect(decodeToken(page.headers.authorization)).toBe(partner.tokenForUs);
      expect(page.headers).toMatchObject({ 'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'CPO', 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'MSP' });
    }
    await settled(db, partner);
    const expected = await Promise.all(['LOC2', 'LOC3', 'LOC4'].map(async (id) => ({ method: 'PUT', path: at(id), body: await adminLocation(node, id) })));
    const received = partner.emsp.pushes().slice(mark).filter((r) => r.method !== 'GET').map(shape);
    expect(received).toHaveLength(3);
    expect(received).toEqual(expect.arrayContaining(expected));
    // LOC5 holds our data in another form (EVSE order, a null field, last_updated without Z): left as it is.
    for (const id of IDS.filter((id) => id !== 'LOC5')) await expectPartnerHolds(node, partner.emsp, id);
    expect(held('LOC5').directions).toBeNull();
  });

  it('when the copy was reconciled, then a second reconcile finds nothing to queue (extras are only reported)', async () => {
    await locationsAcknowledged();
    driftTheCopy();
    expectOcpi(await reconcile(), 200, 1000);
    await settled(db, partner);
    const mark = partner.emsp.pushes().length;

    const again = await reconcile();

    expectOcpi(again, 200, 1000, ReconcileReport);
    expect(again.body.data).toMatchObject({ missing: 0, different: 0, extra: 2, queued: 0 });
    await expectNothingQueued();
    expect(partner.emsp.pushes().slice(mark).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('when the copy equals ours, then every count is zero and nothing is queued', async () => {
    await locationsAcknowledged();
    const res = await reconcile();
    expectOcpi(res, 200, 1000, ReconcileReport);
    expect(res.body.data).toEqual({ missing: 0, different: 0, extra: 0, queued: 0, samples: { missing: [], different: [], extra: [] } });
    await expectNothingQueued();
  });
});

describe('reconcile with purge', () => {
  it('when purge is asked without the confirmation, then 400 naming /confirm and nothing is sent', async () => {
    await locationsAcknowledged();
    for (const body of [{ module: 'locations', purge: true }, { module: 'locations', purge: true, confirm: 'purge' }, { module: 'locations', purge: true, confirm: 'yes' }]) {
      const res = await reconcile(body);
      expectOcpi(res, 400, 2001);
      expect(res.body.status_message).toMatch(/\/confirm must be "PURGE"/);
    }
    expect(partner.emsp.locationsListRequests()).toEqual([]);
    for (const id of IDS) await expectPartnerHolds(node, partner.emsp, id);
    await expectNothingQueued();
  });

  it('when purge is confirmed, then the partner gets DELETE of our party, then a full PUT of every location, and a warning is logged', async () => {
    await locationsAcknowledged();
    driftTheCopy();
    const mark = partner.emsp.pushes().length;

    const res = await reconcile({ module: 'locations', purge: true, confirm: 'PURGE' });

    expectOcpi(res, 200, 1000, ReconcileReport);
    expect(res.body.data).toEqual({ missing: IDS.length, different: 0, extra: 0, queued: IDS.length });
    await settled(db, partner);
    const received = partner.emsp.pushes().slice(mark).map(shape);
    expect(received[0]).toEqual({ method: 'DELETE', path: LIST, body: undefined });
    const expected = await Promise.all(IDS.map(async (id) => ({ method: 'PUT', path: at(id), body: await adminLocation(node, id) })));
    expect(received.slice(1)).toHaveLength(IDS.length);
    expect(received.slice(1)).toEqual(expect.arrayContaining(expected));
    expect([...partner.emsp.locations.keys()].sort()).toEqual(IDS.map((id) => `NL/CPO/${id}`));
    for (const id of IDS) await expectPartnerHolds(node, partner.emsp, id);
    const warnings = logEntries(node).filter((e) => e.level === 'warn' && /purg/.test(e.message));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatchObject({ partner: partner.id });
    expect(node.logLines.join('\n')).not.toContain(partner.tokenForUs);
  });
});

describe('reconcile of a partner that cannot answer it', () => {
  it.each<[LocationsListMode, RegExp]>([
    ['http-404', /answered HTTP 404/],
    ['http-405', /answered HTTP 405/],
    ['ocpi-error', /answered status_code 2000/],
    ['off', /answered HTTP 400 with status_code 2001/],
  ])('when the list extension answers %s, then 422 names the missing extension and nothing is queued', async (mode, answered) => {
    await locationsAcknowledged();
    partner.emsp.locations.delete('NL/CPO/LOC1');
    partner.emsp.locationsList = mode;
    const mark = partner.emsp.pushes().length;

    for (const body of [{ module: 'locations' }, { module: 'locations', purge: true, confirm: 'PURGE' }]) {
      const res = await reconcile(body);
      expectOcpi(res, 422, 2000);
      expect(res.body.status_message).toMatch(/does not offer the locations receiver list extension/);
      expect(res.body.status_message).toMatch(answered);
    }
    await expectNothingQueued();
    expect(partner.emsp.pushes().slice(mark).filter((r) => r.method === 'PUT' || r.method === 'PATCH')).toEqual([]);
  });

  it('when the list answers a success whose data is not a list, then 422 and nothing is queued', async () => {
    await locationsAcknowledged();
    partner.emsp.locationsList = 'not-a-list';
    const res = await reconcile();
    expectOcpi(res, 422, 2000);
    expect(res.body.status_message).toMatch(/does not offer the locations receiver list extension .*answered data that is not a list/);
    await expectNothingQueued();
  });

  it('when the list answers HTTP 200 without an OCPI response, then 422 and nothing is queued', async () => {
    await locationsAcknowledged();
    partner.emsp.failPushes('garbage', 1);
    const res = await reconcile();
    expectOcpi(res, 422, 2000);
    expect(res.body.status_message).toMatch(/does not offer the locations receiver list extension .*without an OCPI response/);
    await expectNothingQueued();
  });

  it('when the partner is down, then 502 / 3001 and nothing is queued', async () => {
    await locationsAcknowledged();
    await partner.emsp.stop();
    expectOcpi(await reconcile(), 502, 3001);
    expectOcpi(await reconcile({ module: 'locations', purge: true, confirm: 'PURGE' }), 502, 3001);
    expect(await pendingCount(db, partner.id)).toBe(0);
  });

  it('when the first page answers HTTP 500, then 502 / 3001 and nothing is queued', async () => {
    await locationsAcknowledged();
    partner.emsp.locations.delete('NL/CPO/LOC1');
    partner.emsp.failLocationsListPage(0);
    const res = await reconcile();
    expectOcpi(res, 502, 3001);
    expect(res.body.status_message).toMatch(/page 1 \(after 0 locations\).*HTTP 500/);
    await expectNothingQueued();
  });

  it('when a later page answers HTTP 500, then 502 / 3001 naming that page, and nothing is queued', async () => {
    await locationsAcknowledged();
    partner.emsp.locations.delete('NL/CPO/LOC1');
    partner.emsp.failLocationsListPage(2);
    const res = await reconcile();
    expectOcpi(res, 502, 3001);
    expect(res.body.status_message).toMatch(/page 2 \(after 2 locations\).*HTTP 500/);
    await expectNothingQueued();
  });

  it('when the partner has no locations RECEIVER endpoint, then 409 and nothing is asked', async () => {
    const sender = await registerPartner(node, { countryCode: 'BE', partyId: 'SND', locationsEndpoint: 'SENDER' });
    others.push(sender);
    const res = await reconcile({ module: 'locations' }, sender.id);
    expectOcpi(res, 409, 2000);
    expect(res.body.status_message).toMatch(/locations RECEIVER/);
    expect(sender.emsp.locationsListRequests()).toEqual([]);
  });

  it('when the partner is unregistered, then 409', async () => {
    expectOcpi(await node.admin.delete(`/admin/partners/${partner.id}`), 200, 1000);
    expectOcpi(await reconcile(), 409, 2000);
  });
});

describe('reconcile requests the node refuses', () => {
  it.each([
    [{ module: 'tariffs' }, /module must be one of locations/],
    [{}, /module/],
    [{ module: 'locations', purge: 'yes' }, /purge/],
    [{ module: 'locations', extra: 1 }, /extra/],
  ])('when the body is %j, then 400 / 2001 and nothing is asked', async (body, message) => {
    const res = await reconcile(body);
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toMatch(message);
    expect(partner.emsp.locationsListRequests()).toEqual([]);
  });

  it('when the partner is unknown, then 404', async () => {
    expectOcpi(await reconcile({ module: 'locations' }, randomUUID()), 404, 2000);
    expectOcpi(await reconcile({ module: 'locations' }, 'not-a-uuid'), 404, 2000);
  });

  it('when the method is not POST, then 405', async () => {
    expectOcpi(await node.admin.get(`/admin/partners/${partner.id}/reconcile`), 405, 2000);
  });
});
