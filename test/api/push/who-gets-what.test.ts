import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { putTariffs } from '../../helpers/tariff-factory';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminLocation,
  at,
  deliveriesOf,
  expectWritten,
  expectPartnerHolds,
  quietFor,
  registerPartner,
  settled,
  shape,
  startPushNode,
  SteppedClock,
  tokenHeader,
  type Partner,
  type PushNode,
} from './push-harness';

/** Issue 4.1: which partner gets which request for each kind of location change made through the admin API. */

const db = databasePerSuite();
let node: PushNode;
let clock: SteppedClock;
let partner: Partner;
let mark: number;

beforeEach(async () => {
  clock = new SteppedClock();
  node = await startPushNode(db, {}, clock);
  partner = await registerPartner(node);
});
afterEach(async () => {
  // Whatever happened in the test: a location is never DELETEd at a partner.
  expect(partner.emsp.pushes().filter((r) => r.method !== 'PUT' && r.method !== 'PATCH')).toEqual([]);
  await partner.emsp.stop();
  await node.close();
});

/** LOC1 exists and the partner acknowledged it; `mark` is where the requests of the change under test start. */
async function acknowledgedLocation(body = locationBody('LOC1')): Promise<Record<string, any>> {
  clock.advance();
  expectOcpi(await node.admin.put('/admin/locations/LOC1', body), 201, 1000);
  await settled(db, partner);
  await expectPartnerHolds(node, partner.emsp, 'LOC1');
  mark = partner.emsp.pushes().length;
  return adminLocation(node, 'LOC1');
}

/** The requests the partner received since `mark`, once the outbox is empty. */
async function delivered(p: Partner = partner) {
  await settled(db, p);
  return p.emsp.pushes().slice(mark).map(shape);
}

describe('what each change becomes at a partner with a locations RECEIVER', () => {
  it('when a new location is created, then the partner gets one PUT of the full location at its location URL', async () => {
    mark = 0;
    clock.advance();
    const created = await node.admin.put('/admin/locations/LOC1', locationBody('LOC1'));
    expectOcpi(created, 201, 1000);
    const ours = await adminLocation(node, 'LOC1');
    expect(await delivered()).toEqual([{ method: 'PUT', path: at('LOC1'), body: ours }]);
    expect(ours.evses).toHaveLength(2);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a location attribute changes, then a PATCH of only that field plus last_updated at the location URL', async () => {
    await acknowledgedLocation();
    const now = clock.advance();
    expectOcpi(await node.admin.patch('/admin/locations/LOC1', { name: 'Renamed station' }), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1'), body: { name: 'Renamed station', last_updated: now } }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when several location attributes change at once, then one PATCH carries exactly those fields', async () => {
    await acknowledgedLocation();
    const now = clock.advance();
    const change = { city: 'Amersfoort', facilities: ['CAFE', 'WIFI'], opening_times: { twentyfourseven: false, regular_hours: [{ weekday: 1, period_begin: '08:00', period_end: '20:00' }] } };
    expectOcpi(await node.admin.patch('/admin/locations/LOC1', change), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1'), body: { ...change, last_updated: now } }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a location field is removed, then a PUT of the full location (PATCH cannot remove data)', async () => {
    await acknowledgedLocation();
    clock.advance();
    const { name: _name, postal_code: _postal, ...withoutName } = locationBody('LOC1');
    expectOcpi(await node.admin.put('/admin/locations/LOC1', withoutName), 200, 1000);
    const ours = await adminLocation(node, 'LOC1');
    expect(ours.name).toBeUndefined();
    expect(await delivered()).toEqual([{ method: 'PUT', path: at('LOC1'), body: ours }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a new EVSE is added, then a PUT of the full EVSE at its EVSE URL and nothing at the location level', async () => {
    await acknowledgedLocation();
    clock.advance();
    expectWritten(await node.admin.put('/admin/locations/LOC1/evses/LOC1-E3', evseBody('LOC1-E3')));
    const evse = (await adminLocation(node, 'LOC1')).evses.find((e: { uid: string }) => e.uid === 'LOC1-E3');
    expect(await delivered()).toEqual([{ method: 'PUT', path: at('LOC1', 'LOC1-E3'), body: evse }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when an EVSE status changes, then a PATCH {status, last_updated} at the EVSE URL', async () => {
    await acknowledgedLocation();
    const now = clock.advance();
    expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: 'CHARGING' }), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1', 'LOC1-E1'), body: { status: 'CHARGING', last_updated: now } }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when other EVSE attributes change, then a PATCH of only those fields plus last_updated at the EVSE URL', async () => {
    await acknowledgedLocation();
    const now = clock.advance();
    const change = { physical_reference: 'Pole 7', capabilities: ['RFID_READER'] };
    expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E2', change), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1', 'LOC1-E2'), body: { ...change, last_updated: now } }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when an EVSE field is removed, then a PUT of the full EVSE at the EVSE URL', async () => {
    await acknowledgedLocation();
    clock.advance();
    const { capabilities: _capabilities, ...withoutCapabilities } = evseBody('LOC1-E1');
    expectOcpi(await node.admin.put('/admin/locations/LOC1/evses/LOC1-E1', withoutCapabilities), 200, 1000);
    const evse = (await adminLocation(node, 'LOC1')).evses[0];
    expect(evse.capabilities).toBeUndefined();
    expect(await delivered()).toEqual([{ method: 'PUT', path: at('LOC1', 'LOC1-E1'), body: evse }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a connector changes, then a PATCH of only the changed fields plus last_updated at the connector URL', async () => {
    await acknowledgedLocation();
    await putTariffs(node, ['AC-1']);
    const now = clock.advance();
    const change = { max_amperage: 16, tariff_ids: ['AC-1'] };
    expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1/connectors/2', change), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1', 'LOC1-E1', '2'), body: { ...change, last_updated: now } }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a connector is added, then a PUT of the connector at its connector URL', async () => {
    await acknowledgedLocation();
    clock.advance();
    expectWritten(await node.admin.put('/admin/locations/LOC1/evses/LOC1-E2/connectors/3', connectorBody('3', { standard: 'CHADEMO', power_type: 'DC', format: 'CABLE' })));
    const connector = (await adminLocation(node, 'LOC1')).evses[1].connectors[2];
    expect(connector.id).toBe('3');
    expect(await delivered()).toEqual([{ method: 'PUT', path: at('LOC1', 'LOC1-E2', '3'), body: connector }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a connector field is removed, then a PUT of the connector at its connector URL', async () => {
    await acknowledgedLocation();
    clock.advance();
    const { max_electric_power: _power, ...without } = evseBody('LOC1-E1').connectors[1] as Record<string, unknown>;
    expectOcpi(await node.admin.put('/admin/locations/LOC1/evses/LOC1-E1/connectors/2', without), 200, 1000);
    const connector = (await adminLocation(node, 'LOC1')).evses[0].connectors[1];
    expect(connector.max_electric_power).toBeUndefined();
    expect(await delivered()).toEqual([{ method: 'PUT', path: at('LOC1', 'LOC1-E1', '2'), body: connector }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a connector is removed, then a PUT of the whole EVSE with the remaining connectors', async () => {
    await acknowledgedLocation();
    clock.advance();
    const evse = evseBody('LOC1-E1');
    expectOcpi(await node.admin.put('/admin/locations/LOC1/evses/LOC1-E1', { ...evse, connectors: evse.connectors.slice(0, 1) }), 200, 1000);
    const stored = (await adminLocation(node, 'LOC1')).evses[0];
    expect(stored.connectors).toHaveLength(1);
    expect(await delivered()).toEqual([{ method: 'PUT', path: at('LOC1', 'LOC1-E1'), body: stored }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when an EVSE is removed through DELETE, then a PATCH {status: REMOVED, last_updated} at the EVSE URL, never a DELETE', async () => {
    await acknowledgedLocation();
    const now = clock.advance();
    expectOcpi(await node.admin.delete('/admin/locations/LOC1/evses/LOC1-E2'), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1', 'LOC1-E2'), body: { status: 'REMOVED', last_updated: now } }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a location is PUT without one of its EVSEs, then that EVSE is PATCHed to REMOVED', async () => {
    await acknowledgedLocation();
    const now = clock.advance();
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1', { evses: [evseBody('LOC1-E1')] })), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1', 'LOC1-E2'), body: { status: 'REMOVED', last_updated: now } }]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when one write changes a location field, an EVSE status and a connector, then one PATCH per level, parent first', async () => {
    await acknowledgedLocation();
    const now = clock.advance();
    const e1 = evseBody('LOC1-E1', { status: 'BLOCKED' });
    e1.connectors[0] = connectorBody('1', { max_amperage: 20 });
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1', { name: 'Both', evses: [e1, evseBody('LOC1-E2')] })), 200, 1000);
    expect(await delivered()).toEqual([
      { method: 'PATCH', path: at('LOC1'), body: { name: 'Both', last_updated: now } },
      { method: 'PATCH', path: at('LOC1', 'LOC1-E1'), body: { status: 'BLOCKED', last_updated: now } },
      { method: 'PATCH', path: at('LOC1', 'LOC1-E1', '1'), body: { max_amperage: 20, last_updated: now } },
    ]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });

  it('when a write changes nothing, then nothing is pushed', async () => {
    await acknowledgedLocation();
    clock.advance();
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 200, 1000);
    await quietFor(300);
    expect(await delivered()).toEqual([]);
  });

  it('when a location existed before the partner registered, then its first change reaches that partner as a full PUT', async () => {
    await acknowledgedLocation();
    const late = await registerPartner(node, { countryCode: 'BE', partyId: 'LAT' });
    try {
      clock.advance();
      expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: 'CHARGING' }), 200, 1000);
      const ours = await adminLocation(node, 'LOC1');
      await settled(db, late);
      expect(late.emsp.pushes().map(shape)).toEqual([{ method: 'PUT', path: at('LOC1'), body: ours }]);
      expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1', 'LOC1-E1'), body: { status: 'CHARGING', last_updated: ours.last_updated } }]);
      await expectPartnerHolds(node, late.emsp, 'LOC1');
    } finally {
      await late.emsp.stop();
    }
  });
});

describe('who gets it', () => {
  it('when several partners have a locations RECEIVER, then each gets the change with its own token and its own OCPI-to headers', async () => {
    const other = await registerPartner(node, { countryCode: 'BE', partyId: 'ABC' });
    try {
      mark = 0;
      clock.advance();
      expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
      const ours = await adminLocation(node, 'LOC1');
      for (const [p, country, party] of [[partner, 'DE', 'MSP'], [other, 'BE', 'ABC']] as const) {
        expect(await delivered(p)).toEqual([{ method: 'PUT', path: at('LOC1'), body: ours }]);
        const headers = p.emsp.pushes()[0]!.headers;
        expect(headers.authorization).toBe(tokenHeader(p.tokenForUs));
        expect(headers['ocpi-to-country-code']).toBe(country);
        expect(headers['ocpi-to-party-id']).toBe(party);
        await expectPartnerHolds(node, p.emsp, 'LOC1');
      }
      expect(partner.tokenForUs).not.toBe(other.tokenForUs);
    } finally {
      await other.emsp.stop();
    }
  });

  it.each([
    ['does not list locations at all', 'none'],
    ['lists locations only as SENDER', 'SENDER'],
  ] as const)('when a registered partner %s, then it gets nothing', async (_label, locationsEndpoint) => {
    const without = await registerPartner(node, { countryCode: 'FR', partyId: 'NOL', locationsEndpoint });
    try {
      const registration = without.emsp.requests.length;
      mark = 0;
      clock.advance();
      expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
      clock.advance();
      expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: 'CHARGING' }), 200, 1000);
      await settled(db, partner);
      await quietFor(300);
      expect(without.emsp.requests.slice(registration)).toEqual([]);
      expect(await db.prisma.delivery.count({ where: { partnerId: without.id } })).toBe(0);
      expect(partner.emsp.pushes().length).toBeGreaterThan(0);
    } finally {
      await without.emsp.stop();
    }
  });

  it('when a push is sent, then it carries Token base64(partner token), fresh request ids and the routing headers', async () => {
    mark = 0;
    await acknowledgedLocation();
    clock.advance();
    expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: 'CHARGING' }), 200, 1000);
    await delivered();
    const pushes = partner.emsp.pushes();
    expect(pushes).toHaveLength(2);
    for (const { headers } of pushes) {
      expect(headers.authorization).toBe(`Token ${Buffer.from(partner.tokenForUs, 'utf8').toString('base64')}`);
      expect(headers['x-request-id']).toMatch(/^\S{1,255}$/);
      expect(headers['x-correlation-id']).toMatch(/^\S{1,255}$/);
      expect(headers['content-type']).toMatch(/^application\/json/);
      expect({
        from: [headers['ocpi-from-country-code'], headers['ocpi-from-party-id']],
        to: [headers['ocpi-to-country-code'], headers['ocpi-to-party-id']],
      }).toEqual({ from: ['NL', 'CPO'], to: ['DE', 'MSP'] });
    }
    expect(pushes[0]!.headers['x-request-id']).not.toBe(pushes[1]!.headers['x-request-id']);
  });

  it('when the credentials are rotated from our side, then the next push carries the new token the partner gave us', async () => {
    await acknowledgedLocation();
    const rotated = await node.admin.post(`/admin/partners/${partner.id}/rotate`);
    expectOcpi(rotated, 200, 1000);
    const newToken = [...partner.emsp.acceptedTokens];
    expect(newToken).toHaveLength(1);
    expect(newToken[0]).not.toBe(partner.tokenForUs);
    const now = clock.advance();
    expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: 'CHARGING' }), 200, 1000);
    expect(await delivered()).toEqual([{ method: 'PATCH', path: at('LOC1', 'LOC1-E1'), body: { status: 'CHARGING', last_updated: now } }]);
    expect(partner.emsp.pushes().at(-1)!.headers.authorization).toBe(tokenHeader(newToken[0]!));
    expect(await deliveriesOf(node, partner.id, 'failed')).toEqual([]);
    await expectPartnerHolds(node, partner.emsp, 'LOC1');
  });
});
