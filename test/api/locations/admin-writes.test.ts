import request from 'supertest';
import { Connector, Evse, Location } from '../../../src/modules/locations/locations.schema';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { putTariffs } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ADMIN, adminApi, registeredPartner, senderApi, versionOf, withoutLastUpdated } from './location-api';

/** Issue 3, the admin write API: PUT/PATCH/GET/DELETE of locations, EVSEs and connectors, and what it refuses. */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof adminApi>;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = adminApi(node);
  // Connectors may only name tariffs that exist.
  await putTariffs(node, ['T1']);
});
afterEach(async () => {
  await node.close();
});

/** GET of the location: its ETag and body, to prove a refused write changed nothing. */
async function stored(id: string) {
  const res = await admin.get(`/${id}`);
  expectOcpi(res, 200, 1000, Location);
  return { etag: res.headers.etag as string, data: res.body.data };
}

async function expectNoLocation(id: string): Promise<void> {
  expectOcpi(await admin.get(`/${id}`), 404, 2003);
}

describe('PUT, PATCH and GET at every level', () => {
  it('when a location is PUT, then 201 with its ETag the first time and 200 with the next ETag when replaced', async () => {
    const created = await admin.put('/L1', locationBody('L1'));
    expectOcpi(created, 201, 1000, Location);
    expect(created.body.data).toMatchObject({ id: 'L1', country_code: 'NL', party_id: 'CPO' });
    const afterCreate = await stored('L1');
    expect(created.headers.etag).toBe(afterCreate.etag);
    expect(afterCreate.data).toEqual(created.body.data);

    const replaced = await admin.put('/L1', locationBody('L1', { name: 'Renamed' }));
    expectOcpi(replaced, 200, 1000, Location);
    expect(replaced.body.data.name).toBe('Renamed');
    expect(versionOf(replaced)).toBe(versionOf(created) + 1);
    expect(replaced.headers.etag).toBe((await stored('L1')).etag);
  });

  it('when a new EVSE is PUT under an existing location, then 201 with its ETag; replacing it answers 200', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const created = await admin.put('/L1/evses/NEW-EVSE', evseBody('NEW-EVSE'));
    expectOcpi(created, 201, 1000, Evse);
    const replaced = await admin.put('/L1/evses/NEW-EVSE', evseBody('NEW-EVSE', { status: 'BLOCKED' }));
    expectOcpi(replaced, 200, 1000, Evse);
    expect(replaced.body.data.status).toBe('BLOCKED');
    const get = await admin.get('/L1/evses/NEW-EVSE');
    expectOcpi(get, 200, 1000, Evse);
    expect(replaced.headers.etag).toBe(get.headers.etag);
  });

  it('when a new connector is PUT under an existing EVSE, then 201 with its ETag; replacing it answers 200', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const created = await admin.put('/L1/evses/L1-E1/connectors/3', connectorBody('3', { standard: 'CHADEMO', format: 'CABLE', power_type: 'DC' }));
    expectOcpi(created, 201, 1000, Connector);
    const replaced = await admin.put('/L1/evses/L1-E1/connectors/3', connectorBody('3', { standard: 'CHADEMO', format: 'CABLE', power_type: 'DC', max_amperage: 125 }));
    expectOcpi(replaced, 200, 1000, Connector);
    const get = await admin.get('/L1/evses/L1-E1/connectors/3');
    expectOcpi(get, 200, 1000, Connector);
    expect(get.body.data.max_amperage).toBe(125);
    expect(replaced.headers.etag).toBe(get.headers.etag);
  });

  it('when an existing EVSE or connector is replaced by PUT, then 200 with the new ETag and the location shows the change', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const evse = await admin.put('/L1/evses/L1-E2', evseBody('L1-E2', { status: 'OUTOFORDER', physical_reference: 'P2' }));
    expectOcpi(evse, 200, 1000, Evse);
    expect(evse.body.data).toMatchObject({ status: 'OUTOFORDER', physical_reference: 'P2' });
    const connector = await admin.put('/L1/evses/L1-E1/connectors/1', connectorBody('1', { max_amperage: 16 }));
    expectOcpi(connector, 200, 1000, Connector);
    const location = await stored('L1');
    expect(location.data.evses[1].status).toBe('OUTOFORDER');
    expect(location.data.evses[0].connectors[0].max_amperage).toBe(16);
  });

  it('when a location, an EVSE and a connector are PATCHed, then only the named fields change and each answer carries the new ETag', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const location = await stored('L1');
    const patched = await admin.patch('/L1', { name: 'Patched', facilities: ['WIFI'] }, { 'If-Match': location.etag });
    expectOcpi(patched, 200, 1000, Location);
    expect(withoutLastUpdated(patched.body.data)).toEqual(withoutLastUpdated({ ...location.data, name: 'Patched', facilities: ['WIFI'] }));
    expect(patched.headers.etag).toBe((await stored('L1')).etag);

    const evse = await admin.get('/L1/evses/L1-E1');
    const evsePatch = await admin.patch('/L1/evses/L1-E1', { status: 'CHARGING' }, { 'If-Match': evse.headers.etag });
    expectOcpi(evsePatch, 200, 1000, Evse);
    expect(withoutLastUpdated(evsePatch.body.data)).toEqual(withoutLastUpdated({ ...evse.body.data, status: 'CHARGING' }));
    expect(evsePatch.headers.etag).toBe((await admin.get('/L1/evses/L1-E1')).headers.etag);

    const connector = await admin.get('/L1/evses/L1-E1/connectors/2');
    const connectorPatch = await admin.patch('/L1/evses/L1-E1/connectors/2', { tariff_ids: ['T1'] }, { 'If-Match': connector.headers.etag });
    expectOcpi(connectorPatch, 200, 1000, Connector);
    expect(withoutLastUpdated(connectorPatch.body.data)).toEqual(withoutLastUpdated({ ...connector.body.data, tariff_ids: ['T1'] }));
    expect(connectorPatch.headers.etag).toBe((await admin.get('/L1/evses/L1-E1/connectors/2')).headers.etag);
  });

  it('when an EVSE or connector is written under a location or EVSE that does not exist, then 404 / 2003 and nothing is created', async () => {
    expectOcpi(await admin.put('/NOPE/evses/E9', evseBody('E9')), 404, 2003);
    expectOcpi(await admin.put('/NOPE/evses/E9/connectors/1', connectorBody('1')), 404, 2003);
    await expectNoLocation('NOPE');
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    expectOcpi(await admin.put('/L1/evses/E9/connectors/1', connectorBody('1')), 404, 2003);
    expectOcpi(await admin.patch('/L1/evses/E9', { status: 'CHARGING' }, { 'If-Match': '"1"' }), 404, 2003);
    expectOcpi(await admin.patch('/NOPE', { name: 'x' }, { 'If-Match': '"1"' }), 404, 2003);
    expectOcpi(await admin.delete('/L1/evses/E9'), 404, 2003);
    expectOcpi(await admin.get('/L1/evses/E9'), 404, 2003);
  });
});

describe('EVSEs are never deleted', () => {
  it('when an EVSE is DELETEd, then it stays listed on its location with status REMOVED and the location is bumped', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const before = await stored('L1');
    const removed = await admin.delete('/L1/evses/L1-E1');
    expectOcpi(removed, 200, 1000, Evse);
    expect(removed.body.data.status).toBe('REMOVED');
    expect(removed.headers.etag).toBe((await admin.get('/L1/evses/L1-E1')).headers.etag);

    const after = await stored('L1');
    expect(after.data.evses.map((e: { uid: string; status: string }) => [e.uid, e.status])).toEqual([['L1-E1', 'REMOVED'], ['L1-E2', 'AVAILABLE']]);
    expect(versionOf(after.etag)).toBe(versionOf(before.etag) + 1);

    const sender = senderApi(node, await registeredPartner(node));
    const served = await sender.get('/L1/L1-E1');
    expectOcpi(served, 200, 1000, Evse);
    expect(served.body.data.status).toBe('REMOVED');
  });

  it('when a REMOVED EVSE uid is PUT under another location, then 409 and neither location changes', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    expectOcpi(await admin.delete('/L1/evses/L1-E1'), 200, 1000);
    expectOcpi(await admin.put('/L2', locationBody('L2')), 201, 1000);
    const [l1, l2] = [await stored('L1'), await stored('L2')];

    expectOcpi(await admin.put('/L2/evses/L1-E1', evseBody('L1-E1')), 409, 2000);
    expectOcpi(await admin.put('/L2/evses/l1-e1', evseBody('l1-e1')), 409, 2000);
    expectOcpi(await admin.put('/L2', locationBody('L2', { evses: [evseBody('L2-E1'), evseBody('L1-E1')] })), 409, 2000);
    expectOcpi(await admin.put('/L3', locationBody('L3', { evses: [evseBody('L1-E1')] })), 409, 2000);

    expect(await stored('L1')).toEqual(l1);
    expect(await stored('L2')).toEqual(l2);
    await expectNoLocation('L3');
  });

  it('when a location is PUT without one of its EVSEs, then that EVSE is kept as REMOVED; the same PUT again changes nothing', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const without = locationBody('L1', { evses: [evseBody('L1-E2')] });
    const put = await admin.put('/L1', without);
    expectOcpi(put, 200, 1000, Location);
    expect(put.body.data.evses.map((e: { uid: string; status: string }) => [e.uid, e.status])).toEqual([['L1-E1', 'REMOVED'], ['L1-E2', 'AVAILABLE']]);
    const evse = await admin.get('/L1/evses/L1-E1');
    expectOcpi(evse, 200, 1000, Evse);
    expect(evse.body.data.connectors).toHaveLength(2);

    const again = await admin.put('/L1', without);
    expectOcpi(again, 200, 1000, Location);
    expect(again.headers.etag).toBe(put.headers.etag);
  });

  it('when an EVSE is PUT with fewer connectors, then the missing connectors are gone', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const put = await admin.put('/L1/evses/L1-E1', evseBody('L1-E1', { connectors: [connectorBody('2')] }));
    expectOcpi(put, 200, 1000, Evse);
    expect(put.body.data.connectors.map((c: { id: string }) => c.id)).toEqual(['2']);
    expectOcpi(await admin.get('/L1/evses/L1-E1/connectors/1'), 404, 2003);
    const location = await stored('L1');
    expect(location.data.evses[0].connectors.map((c: { id: string }) => c.id)).toEqual(['2']);
  });

  it('when two PUTs create the same new location at the same moment, then one answers 201 and the other 200, never a server error', async () => {
    for (let round = 0; round < 3; round++) {
      const id = `RACE-${round}`;
      const answers = await Promise.all(['first', 'second'].map((name) => admin.put(`/${id}`, locationBody(id, { name }))));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      answers.forEach((a) => expectOcpi(a, a.status, 1000, Location));
      const location = await stored(id);
      expect(location.data.evses).toHaveLength(2);
    }
  });

  it('when two locations claim the same new EVSE uid at the same moment, then one gets it and the other gets 409, never a server error', async () => {
    for (let round = 0; round < 4; round++) {
      const uid = `CONTESTED-${round}`;
      const [a, b] = await Promise.all([
        admin.put(`/A${round}`, locationBody(`A${round}`, { evses: [evseBody(uid)] })),
        admin.put(`/B${round}`, locationBody(`B${round}`, { evses: [evseBody(uid)] })),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      const [winner, loser] = a.status === 201 ? [a, b] : [b, a];
      expectOcpi(winner, 201, 1000, Location);
      expectOcpi(loser, 409, 2000);
    }
  });
});

describe('owner fields default to ours', () => {
  it('when country_code and party_id are left out or given as ours in any case, then the location is stored as NL/CPO', async () => {
    const { country_code: _c, party_id: _p, ...bare } = { country_code: '', party_id: '', ...locationBody('L1') };
    const omitted = await admin.put('/L1', bare);
    expectOcpi(omitted, 201, 1000, Location);
    expect(omitted.body.data).toMatchObject({ country_code: 'NL', party_id: 'CPO' });
    const lower = await admin.put('/L2', locationBody('L2', { country_code: 'nl', party_id: 'cpo' }));
    expectOcpi(lower, 201, 1000, Location);
    expect(lower.body.data).toMatchObject({ country_code: 'NL', party_id: 'CPO' });
  });

  it('when a PUT or PATCH names another country_code or party_id, then 400 / 2001 naming the field and nothing is stored', async () => {
    const country = await admin.put('/L1', locationBody('L1', { country_code: 'DE' }));
    expectOcpi(country, 400, 2001);
    expect(country.body.status_message).toContain('country_code');
    const party = await admin.put('/L1', locationBody('L1', { party_id: 'XYZ' }));
    expectOcpi(party, 400, 2001);
    expect(party.body.status_message).toContain('party_id');
    await expectNoLocation('L1');

    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const before = await stored('L1');
    const patch = await admin.patch('/L1', { party_id: 'XYZ' }, { 'If-Match': before.etag });
    expectOcpi(patch, 400, 2001);
    expect(patch.body.status_message).toContain('party_id');
    expect(await stored('L1')).toEqual(before);
  });
});

describe('refused input changes nothing', () => {
  it('when the id in the path differs from the id in the body, then 400 / 2001 at every level and nothing changes', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L2')), 400, 2001);
    await expectNoLocation('L1');
    await expectNoLocation('L2');
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const before = await stored('L1');
    expectOcpi(await admin.put('/L1/evses/L1-E1', evseBody('L1-E9')), 400, 2001);
    expectOcpi(await admin.put('/L1/evses/L1-E1/connectors/1', connectorBody('7')), 400, 2001);
    expectOcpi(await admin.patch('/L1', { id: 'L2' }, { 'If-Match': before.etag }), 400, 2001);
    const evse = await admin.get('/L1/evses/L1-E1');
    expectOcpi(await admin.patch('/L1/evses/L1-E1', { uid: 'L1-E2' }, { 'If-Match': evse.headers.etag }), 400, 2001);
    expect(await stored('L1')).toEqual(before);
  });

  it('when a location PUT violates the schema or its rules, then 400 / 2001 naming the field and nothing is stored', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const before = await stored('L1');
    const cases: [Record<string, unknown>, string][] = [
      [{ coordinates: { latitude: 52.089444, longitude: 5.110278 } }, '/coordinates/latitude'],
      [{ coordinates: { latitude: '52.08', longitude: '5.110278' } }, '/coordinates/latitude'],
      [{ address: 'x'.repeat(256) }, '/address'],
      [{ evses: [evseBody('L1-E1', { connectors: [connectorBody('1', { standard: 'iec_62196_t2' })] })] }, '/evses/0/connectors/0/standard'],
      [{ colour: 'green' }, '/colour'],
      [{ publish_allowed_to: [{ group_id: 'G1' }] }, '/publish_allowed_to'],
      [{ publish: false, publish_allowed_to: [{ uid: 'TOKEN-1' }] }, '/publish_allowed_to/0/type'],
      [{ opening_times: { twentyfourseven: false } }, '/opening_times/regular_hours'],
      [{ opening_times: { twentyfourseven: false, regular_hours: [{ weekday: 8, period_begin: '08:00', period_end: '07:00' }] } }, '/opening_times/regular_hours/0/weekday'],
      [{ evses: [evseBody('L1-E1', { connectors: [] })] }, '/evses/0/connectors'],
      [{ time_zone: undefined }, '/time_zone'],
      [{ evses: [evseBody('L1-E1'), evseBody('l1-e1')] }, 'appears twice'],
    ];
    for (const [overrides, field] of cases) {
      const res = await admin.put('/L1', locationBody('L1', { ...overrides, name: 'Should not be stored' }));
      expectOcpi(res, 400, 2001);
      expect(res.body.status_message).toContain(field);
    }
    expect(await stored('L1')).toEqual(before);
  });

  it('when a PATCH would leave an invalid object at any level, then 400 / 2001 naming the field and nothing changes', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const before = await stored('L1');
    const evse = await admin.get('/L1/evses/L1-E1');
    const connector = await admin.get('/L1/evses/L1-E1/connectors/1');
    const cases: [string, object, string | undefined, string][] = [
      ['/L1', { coordinates: { latitude: '52.1' } }, before.etag, '/coordinates'],
      ['/L1', { publish: true, publish_allowed_to: [{ uid: 'TOKEN-1' }] }, before.etag, '/publish_allowed_to'],
      ['/L1', { evses: [] }, before.etag, '/evses'],
      ['/L1', {}, before.etag, 'fewer than 1'],
      ['/L1/evses/L1-E1', { status: 'BROKEN' }, evse.headers.etag, '/status'],
      ['/L1/evses/L1-E1', { connectors: [] }, evse.headers.etag, '/connectors'],
      ['/L1/evses/L1-E1/connectors/1', { max_voltage: -1 }, connector.headers.etag, '/max_voltage'],
      ['/L1/evses/L1-E1/connectors/1', { terms_and_conditions: 'not a url' }, connector.headers.etag, '/terms_and_conditions'],
    ];
    for (const [path, patch, etag, field] of cases) {
      const res = await admin.patch(path, patch, { 'If-Match': etag });
      expectOcpi(res, 400, 2001);
      expect(res.body.status_message).toContain(field);
    }
    expect(await stored('L1')).toEqual(before);
  });

  it('when the body is malformed JSON, then 400 / 2001 and nothing is stored', async () => {
    const res = await request(node.baseUrl)
      .put(`${ADMIN}/L1`)
      .set('Authorization', `Bearer ${node.adminToken}`)
      .set('Content-Type', 'application/json')
      .send('{"id": "L1", "publish": tru');
    expectOcpi(res, 400, 2001);
    await expectNoLocation('L1');
  });

  it('when the body is larger than BODY_LIMIT, then 413 with the envelope and nothing is stored', async () => {
    const huge = locationBody('L1', { directions: Array.from({ length: 200 }, (_, i) => ({ language: 'en', text: `${i} ${'x'.repeat(500)}` })) });
    expect(JSON.stringify(huge).length).toBeGreaterThan(64 * 1024);
    const res = await admin.put('/L1', huge);
    expectOcpi(res, 413, 2000);
    await expectNoLocation('L1');
  });

  it('when the location id in the path cannot be an id (a NUL byte, 37 characters), then 404 / 2003 on every read and EVSE write, never a server error', async () => {
    const partner = await registeredPartner(node);
    for (const id of ['L1%00', `${'L'.repeat(37)}`]) {
      expectOcpi(await admin.get(`/${id}`), 404, 2003);
      expectOcpi(await senderApi(node, partner).get(`/${id}`), 404, 2003);
      expectOcpi(await admin.put(`/${id}/evses/E1`, evseBody('E1')), 404, 2003);
    }
  });
});
