import { Connector, Evse, Location } from '../../../src/modules/locations/locations.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { fullLocationBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { putTariffs } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { adminApi, ManualClock, registeredPartner, senderApi, withoutLastUpdated } from './location-api';

/** Issue 3, data model: every field round-trips; parents follow their children; no-op writes bump nothing. */

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof adminApi>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock });
  admin = adminApi(node);
  // Connectors may only name tariffs that exist: those the location factory's connectors name.
  await putTariffs(node, ['DC-FAST', 'AC-STANDARD', 'AC-NIGHT', 'AC-SLOW']);
});
afterEach(async () => {
  await node.close();
});

/** The served tree's timestamps and ETags, to compare before/after a write. */
async function snapshot(id: string) {
  const location = await admin.get(`/${id}`);
  expectOcpi(location, 200, 1000, Location);
  const evses = await Promise.all(
    (location.body.data.evses as { uid: string }[]).map(async (e) => {
      const evse = await admin.get(`/${id}/evses/${e.uid}`);
      expectOcpi(evse, 200, 1000, Evse);
      return evse;
    }),
  );
  return {
    location: { etag: location.headers.etag as string, last_updated: location.body.data.last_updated as string },
    evses: evses.map((evse) => ({
      uid: evse.body.data.uid as string,
      etag: evse.headers.etag as string,
      last_updated: evse.body.data.last_updated as string,
      connectors: (evse.body.data.connectors as { id: string; last_updated: string }[]).map((c) => [c.id, c.last_updated]),
    })),
    body: location.body.data,
  };
}

describe('every field of Location, EVSE and Connector round-trips', () => {
  it('when a location with every optional field is PUT, then the admin and sender GETs return it identical apart from last_updated', async () => {
    const body = fullLocationBody('FULL-1');
    const put = await admin.put('/FULL-1', body);
    expectOcpi(put, 201, 1000, Location);
    expect(withoutLastUpdated(put.body.data)).toEqual(body);

    const adminGet = await admin.get('/FULL-1');
    expectOcpi(adminGet, 200, 1000, Location);
    expect(withoutLastUpdated(adminGet.body.data)).toEqual(body);

    const sender = senderApi(node, await registeredPartner(node));
    const served = await sender.get('/FULL-1');
    expectOcpi(served, 200, 1000, Location);
    expect(withoutLastUpdated(served.body.data)).toEqual(body);

    const evse = await sender.get('/FULL-1/FULL-1-E2');
    expectOcpi(evse, 200, 1000, Evse);
    expect(withoutLastUpdated(evse.body.data)).toEqual(body.evses[1]);
    const connector = await sender.get('/FULL-1/FULL-1-E2/2');
    expectOcpi(connector, 200, 1000, Connector);
    expect(withoutLastUpdated(connector.body.data)).toEqual(body.evses[1]!.connectors[1]);

    const list = await sender.get('');
    expectOcpi(list, 200, 1000);
    expect(list.body.data).toHaveLength(1);
    expect(problemsWith(Location, list.body.data[0])).toEqual([]);
    expect(withoutLastUpdated(list.body.data[0])).toEqual(body);
  });

  it('when a location is created, then it, its EVSEs and its connectors all carry the time of that write as last_updated', async () => {
    const written = clock.iso();
    expectOcpi(await admin.put('/L1', fullLocationBody('L1')), 201, 1000, Location);
    const { body } = await snapshot('L1');
    expect(body.last_updated).toBe(written);
    for (const evse of body.evses) {
      expect(evse.last_updated).toBe(written);
      for (const connector of evse.connectors) expect(connector.last_updated).toBe(written);
    }
  });
});

describe('a change to a child bumps its parents in the same write', () => {
  it('when a connector changes, then its EVSE and location take the same last_updated and new ETags, and siblings keep theirs', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const before = await snapshot('L1');
    const connector = await admin.get('/L1/evses/L1-E1/connectors/2');
    expectOcpi(connector, 200, 1000, Connector);

    const changedAt = clock.advance(60_000);
    const patch = await admin.patch('/L1/evses/L1-E1/connectors/2', { tariff_ids: ['DC-FAST'] }, { 'If-Match': connector.headers.etag });
    expectOcpi(patch, 200, 1000, Connector);
    expect(patch.body.data.last_updated).toBe(changedAt);

    const after = await snapshot('L1');
    expect(after.location.last_updated).toBe(changedAt);
    expect(after.location.etag).not.toBe(before.location.etag);
    const [e1, e2] = after.evses;
    expect(e1!.last_updated).toBe(changedAt);
    expect(e1!.etag).not.toBe(before.evses[0]!.etag);
    expect(e1!.connectors).toEqual([['1', before.evses[0]!.connectors[0]![1]], ['2', changedAt]]);
    expect(e2).toEqual(before.evses[1]);
  });

  it('when an EVSE changes, then the location is bumped with it but its connectors are not', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    const before = await snapshot('L1');

    const changedAt = clock.advance(60_000);
    const patch = await admin.patch('/L1/evses/L1-E2', { status: 'CHARGING' }, { 'If-Match': before.evses[1]!.etag });
    expectOcpi(patch, 200, 1000, Evse);

    const after = await snapshot('L1');
    expect(after.location.last_updated).toBe(changedAt);
    expect(after.location.etag).not.toBe(before.location.etag);
    expect(after.evses[0]).toEqual(before.evses[0]);
    expect(after.evses[1]!.last_updated).toBe(changedAt);
    expect(after.evses[1]!.connectors).toEqual(before.evses[1]!.connectors);
  });

  it('when a connector changes, then a date_from pull from that moment returns its location with all its EVSEs', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
    expectOcpi(await admin.put('/L2', locationBody('L2')), 201, 1000);
    const connector = await admin.get('/L2/evses/L2-E2/connectors/1');
    const changedAt = clock.advance(60_000);
    expectOcpi(await admin.patch('/L2/evses/L2-E2/connectors/1', { max_amperage: 16 }, { 'If-Match': connector.headers.etag }), 200, 1000);

    const sender = senderApi(node, await registeredPartner(node));
    const pulled = await sender.get(`?date_from=${changedAt}`);
    expectOcpi(pulled, 200, 1000);
    expect(pulled.body.data.map((l: { id: string }) => l.id)).toEqual(['L2']);
    expect(pulled.body.data[0].evses.map((e: { uid: string }) => e.uid)).toEqual(['L2-E1', 'L2-E2']);
    expect(pulled.headers['x-total-count']).toBe('1');
  });
});

describe('a write that changes nothing bumps nothing', () => {
  it('when the same location PUT is sent again, then no ETag or last_updated changes anywhere in the tree', async () => {
    const body = fullLocationBody('L1');
    expectOcpi(await admin.put('/L1', body), 201, 1000);
    const before = await snapshot('L1');

    clock.advance(60_000);
    const again = await admin.put('/L1', body);
    expectOcpi(again, 200, 1000, Location);
    expect(again.headers.etag).toBe(before.location.etag);
    expect(await snapshot('L1')).toEqual(before);
  });

  it('when the same PUT carrying its own last_updated is sent again, then it answers 200 and nothing is bumped', async () => {
    const body = { ...locationBody('L1'), last_updated: '2026-03-01T11:00:00Z' };
    expectOcpi(await admin.put('/L1', body), 201, 1000, Location);
    const before = await snapshot('L1');

    clock.advance(60_000);
    const again = await admin.put('/L1', body);
    expectOcpi(again, 200, 1000, Location);
    expect(again.headers.etag).toBe(before.location.etag);
    expect(await snapshot('L1')).toEqual(before);
  });

  it('when an EVSE or connector PUT repeats what is stored, then nothing is bumped', async () => {
    const body = fullLocationBody('L1');
    expectOcpi(await admin.put('/L1', body), 201, 1000);
    const before = await snapshot('L1');

    clock.advance(60_000);
    expectOcpi(await admin.put('/L1/evses/L1-E1', body.evses[0]), 200, 1000, Evse);
    expectOcpi(await admin.put('/L1/evses/L1-E2/connectors/2', body.evses[1]!.connectors[1]), 200, 1000, Connector);
    expect(await snapshot('L1')).toEqual(before);
  });

  it('when a PATCH repeats the stored values at any level, then nothing is bumped', async () => {
    const body = fullLocationBody('L1');
    expectOcpi(await admin.put('/L1', body), 201, 1000);
    const before = await snapshot('L1');
    const connector = await admin.get('/L1/evses/L1-E1/connectors/1');

    clock.advance(60_000);
    const location = await admin.patch('/L1', { name: body.name, energy_mix: body.energy_mix, publish: false }, { 'If-Match': before.location.etag });
    expectOcpi(location, 200, 1000, Location);
    expect(location.headers.etag).toBe(before.location.etag);
    const evse = await admin.patch('/L1/evses/L1-E1', { status: 'AVAILABLE', capabilities: body.evses[0]!.capabilities }, { 'If-Match': before.evses[0]!.etag });
    expectOcpi(evse, 200, 1000, Evse);
    expect(evse.headers.etag).toBe(before.evses[0]!.etag);
    const conn = await admin.patch(
      '/L1/evses/L1-E1/connectors/1',
      { max_voltage: 230, tariff_ids: ['AC-STANDARD', 'AC-NIGHT'], last_updated: connector.body.data.last_updated },
      { 'If-Match': connector.headers.etag },
    );
    expectOcpi(conn, 200, 1000, Connector);
    expect(conn.headers.etag).toBe(connector.headers.etag);
    expect(await snapshot('L1')).toEqual(before);
  });

  it('when a PATCH names our own country_code in lower case, then nothing is bumped and the served country_code stays NL', async () => {
    expectOcpi(await admin.put('/L1', locationBody('L1', { country_code: 'nl' })), 201, 1000);
    const before = await snapshot('L1');
    expect(before.body.country_code).toBe('NL');

    clock.advance(60_000);
    const patch = await admin.patch('/L1', { country_code: 'nl' }, { 'If-Match': before.location.etag });
    expectOcpi(patch, 200, 1000, Location);
    expect(patch.body.data.country_code).toBe('NL');
    expect(await snapshot('L1')).toEqual(before);
  });
});
