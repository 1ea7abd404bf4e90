import { Connector, Evse, Location } from '../../../src/modules/locations/locations.schema';
import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { putTariffs } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { adminApi } from '../locations/location-api';
import { expectNoTariff, storedTariff, tariffAdmin } from './tariff-api';

/** Connectors name tariffs in tariff_ids: only tariffs that exist, and a tariff a connector names cannot be deleted. */

const db = databasePerSuite();
let node: TestApp;
let locations: ReturnType<typeof adminApi>;
let tariffs: ReturnType<typeof tariffAdmin>;

beforeEach(async () => {
  node = await startTestApp(db);
  locations = adminApi(node);
  tariffs = tariffAdmin(node);
  await putTariffs(node, ['T1', 'T2']);
});
afterEach(async () => {
  await node.close();
});

/** L1 with one EVSE L1-E1 whose connectors 1 and 2 name the given tariffs. */
function l1(tariffIds1: string[] = [], tariffIds2: string[] = []) {
  return locationBody('L1', { evses: [evseBody('L1-E1', { connectors: [connectorBody('1', { tariff_ids: tariffIds1 }), connectorBody('2', { tariff_ids: tariffIds2 })] })] });
}

/** GET of the location: its ETag and body, to prove a refused write changed nothing. */
async function storedLocation(id = 'L1') {
  const res = await locations.get(`/${id}`);
  expectOcpi(res, 200, 1000, Location);
  return { etag: res.headers.etag as string, data: res.body.data };
}

function expectUnknownTariffs(res: { body: { status_message?: string } }, unknown: string[], known: string[] = []): void {
  expect(res.body.status_message).toContain('tariff_ids name unknown tariffs: ');
  for (const id of unknown) expect(res.body.status_message).toContain(id);
  for (const id of known) expect(res.body.status_message).not.toContain(id);
}

describe('a connector may only name tariffs that exist', () => {
  it('when a location PUT names unknown tariffs, then 400 / 2001 naming them (not the known one) and the location is not stored', async () => {
    const res = await locations.put('/L1', l1(['T1', 'NOPE-1'], ['NOPE-2']));
    expectOcpi(res, 400, 2001);
    expectUnknownTariffs(res, ['NOPE-1', 'NOPE-2'], ['T1']);
    expectOcpi(await locations.get('/L1'), 404, 2003);
    expect(await db.prisma.connector.count()).toBe(0);
  });

  it('when an existing location is PUT again naming an unknown tariff, then 400 / 2001 and the stored location is unchanged', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'])), 201, 1000, Location);
    const before = await storedLocation();
    const res = await locations.put('/L1', l1(['T1'], ['NOPE']));
    expectOcpi(res, 400, 2001);
    expectUnknownTariffs(res, ['NOPE'], ['T1']);
    expect(await storedLocation()).toEqual(before);
  });

  it('when an EVSE PUT, a connector PUT or a connector PATCH names an unknown tariff, then 400 / 2001 naming it and nothing changes', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'])), 201, 1000, Location);
    const before = await storedLocation();
    const connector = await locations.get('/L1/evses/L1-E1/connectors/1');
    expectOcpi(connector, 200, 1000, Connector);

    const evse = await locations.put('/L1/evses/L1-E2', evseBody('L1-E2', { connectors: [connectorBody('1', { tariff_ids: ['NOPE-E'] })] }));
    expectOcpi(evse, 400, 2001);
    expectUnknownTariffs(evse, ['NOPE-E']);
    const replaceEvse = await locations.put('/L1/evses/L1-E1', evseBody('L1-E1', { connectors: [connectorBody('1', { tariff_ids: ['T2', 'NOPE-R'] })] }));
    expectOcpi(replaceEvse, 400, 2001);
    expectUnknownTariffs(replaceEvse, ['NOPE-R'], ['T2']);
    const put = await locations.put('/L1/evses/L1-E1/connectors/3', connectorBody('3', { tariff_ids: ['NOPE-C'] }));
    expectOcpi(put, 400, 2001);
    expectUnknownTariffs(put, ['NOPE-C']);
    const patch = await locations.patch('/L1/evses/L1-E1/connectors/1', { tariff_ids: ['T1', 'NOPE-P'] }, { 'If-Match': connector.headers.etag });
    expectOcpi(patch, 400, 2001);
    expectUnknownTariffs(patch, ['NOPE-P'], ['T1']);

    expect(await storedLocation()).toEqual(before);
    expectOcpi(await locations.get('/L1/evses/L1-E2'), 404, 2003);
  });

  it('when a connector names a tariff in another case than it was created with, then it is accepted and keeps the case it was written with', async () => {
    const put = await locations.put('/L1', l1(['t1'], ['T2', 't2']));
    expectOcpi(put, 201, 1000, Location);
    const connector = await locations.get('/L1/evses/L1-E1/connectors/1');
    expectOcpi(connector, 200, 1000, Connector);
    expect(connector.body.data.tariff_ids).toEqual(['t1']);

    const patched = await locations.patch('/L1/evses/L1-E1/connectors/1', { tariff_ids: ['T1', 'T2'] }, { 'If-Match': connector.headers.etag });
    expectOcpi(patched, 200, 1000, Connector);
    expect(patched.body.data.tariff_ids).toEqual(['T1', 'T2']);
  });

  it('when a connector names a tariff that was deleted, then the write is refused like any unknown tariff', async () => {
    expectOcpi(await tariffs.delete('/T2'), 200, 1000, Tariff);
    const res = await locations.put('/L1', l1(['T2']));
    expectOcpi(res, 400, 2001);
    expectUnknownTariffs(res, ['T2']);
    expectOcpi(await locations.get('/L1'), 404, 2003);
  });
});

describe('a tariff a connector names cannot be deleted', () => {
  it('when a connector names the tariff, then its DELETE answers 409 / 2000 naming location/EVSE/connector and the tariff stays', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'], ['T2'])), 201, 1000, Location);
    const before = await storedTariff(node, 'T1');
    const res = await tariffs.delete('/T1');
    expectOcpi(res, 409, 2000);
    expect(res.body.status_message).toContain('L1/L1-E1/1');
    expect(res.body.status_message).not.toContain('L1/L1-E1/2');
    expect(res.body.data).toBeUndefined();
    expect(await storedTariff(node, 'T1')).toEqual(before);
  });

  it('when several connectors of several locations name the tariff, then the 409 names each of them', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'], ['t1'])), 201, 1000, Location);
    expectOcpi(await locations.put('/L2', locationBody('L2', { evses: [evseBody('L2-E7', { connectors: [connectorBody('4', { tariff_ids: ['T2', 'T1'] })] })] })), 201, 1000);
    const res = await tariffs.delete('/t1');
    expectOcpi(res, 409, 2000);
    for (const named of ['L1/L1-E1/1', 'L1/L1-E1/2', 'L2/L2-E7/4']) expect(res.body.status_message).toContain(named);
    await storedTariff(node, 'T1');
  });

  it.each([
    [10, false],
    [11, true],
  ])('when %i connectors name the tariff, then the 409 lists at most ten of them, with "..." only when there are more (%s)', async (count, more) => {
    const connectors = Array.from({ length: count }, (_, i) => connectorBody(String(i + 1), { tariff_ids: ['T1'] }));
    expectOcpi(await locations.put('/L1', locationBody('L1', { evses: [evseBody('L1-E1', { connectors })] })), 201, 1000, Location);
    const res = await tariffs.delete('/T1');
    expectOcpi(res, 409, 2000);
    expect(res.body.status_message.match(/L1\/L1-E1\/\d+/g)).toHaveLength(10);
    expect(res.body.status_message.endsWith(', ...')).toBe(more);
  });

  it('when the connector PATCH drops the tariff (tariff_ids: []), then the DELETE answers 200', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1', 'T2'])), 201, 1000, Location);
    expectOcpi(await tariffs.delete('/T1'), 409, 2000);
    const connector = await locations.get('/L1/evses/L1-E1/connectors/1');
    expectOcpi(await locations.patch('/L1/evses/L1-E1/connectors/1', { tariff_ids: [] }, { 'If-Match': connector.headers.etag }), 200, 1000, Connector);

    expectOcpi(await tariffs.delete('/T1'), 200, 1000, Tariff);
    await expectNoTariff(node, 'T1');
    expectOcpi(await tariffs.delete('/T2'), 200, 1000, Tariff);
  });

  it('when the connector PATCH names another tariff instead, then the old one can be deleted and the new one cannot', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'])), 201, 1000, Location);
    const connector = await locations.get('/L1/evses/L1-E1/connectors/1');
    expectOcpi(await locations.patch('/L1/evses/L1-E1/connectors/1', { tariff_ids: ['T2'] }, { 'If-Match': connector.headers.etag }), 200, 1000, Connector);
    expectOcpi(await tariffs.delete('/T2'), 409, 2000);
    expectOcpi(await tariffs.delete('/T1'), 200, 1000, Tariff);
  });

  it('when an EVSE PUT replaces the connectors that named the tariff, then the old references are gone and the DELETE answers 200', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'], ['T1'])), 201, 1000, Location);
    expectOcpi(await tariffs.delete('/T1'), 409, 2000);
    const evse = await locations.put('/L1/evses/L1-E1', evseBody('L1-E1', { connectors: [connectorBody('9', { tariff_ids: ['T2'] })] }));
    expectOcpi(evse, 200, 1000, Evse);

    expectOcpi(await tariffs.delete('/T1'), 200, 1000, Tariff);
    const blocked = await tariffs.delete('/T2');
    expectOcpi(blocked, 409, 2000);
    expect(blocked.body.status_message).toContain('L1/L1-E1/9');
  });

  it('when a connector PUT or a location PUT stops naming the tariff, then the DELETE answers 200', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'], ['T2'])), 201, 1000, Location);
    expectOcpi(await locations.put('/L1/evses/L1-E1/connectors/1', connectorBody('1')), 200, 1000, Connector);
    expectOcpi(await tariffs.delete('/T1'), 200, 1000, Tariff);
    expectOcpi(await locations.put('/L1', l1([], [])), 200, 1000, Location);
    expectOcpi(await tariffs.delete('/T2'), 200, 1000, Tariff);
  });

  it('when the only connector naming the tariff belongs to a REMOVED EVSE, then the DELETE is still refused (the EVSE is still served) until that connector stops naming it', async () => {
    expectOcpi(await locations.put('/L1', l1(['T1'])), 201, 1000, Location);
    expectOcpi(await locations.delete('/L1/evses/L1-E1'), 200, 1000, Evse);
    const refused = await tariffs.delete('/T1');
    expectOcpi(refused, 409, 2000);
    expect(refused.body.status_message).toContain('L1/L1-E1/1');

    const connector = await locations.get('/L1/evses/L1-E1/connectors/1');
    expectOcpi(await locations.patch('/L1/evses/L1-E1/connectors/1', { tariff_ids: [] }, { 'If-Match': connector.headers.etag }), 200, 1000, Connector);
    expectOcpi(await tariffs.delete('/T1'), 200, 1000, Tariff);
  });

  it('when a connector naming a tariff and the DELETE of that tariff race, then either the DELETE wins and the connector is refused, or the connector wins and the DELETE is refused', async () => {
    expectOcpi(await locations.put('/L1', l1()), 201, 1000, Location);
    for (let round = 0; round < 6; round++) {
      const id = `RACE-${round}`;
      await putTariffs(node, [id]);
      const [write, remove] = await Promise.all([
        locations.put('/L1/evses/L1-E1/connectors/1', connectorBody('1', { tariff_ids: [id] })),
        tariffs.delete(`/${id}`),
      ]);
      const connector = await locations.get('/L1/evses/L1-E1/connectors/1');
      expectOcpi(connector, 200, 1000, Connector);
      if (remove.status === 200) {
        expectOcpi(remove, 200, 1000, Tariff);
        expectOcpi(write, 400, 2001);
        await expectNoTariff(node, id);
        expect(connector.body.data.tariff_ids ?? []).not.toContain(id);
      } else {
        expectOcpi(remove, 409, 2000);
        expectOcpi(write, 200, 1000, Connector);
        await storedTariff(node, id);
        expect(connector.body.data.tariff_ids).toEqual([id]);
      }
      expectOcpi(await locations.put('/L1/evses/L1-E1/connectors/1', connectorBody('1')), 200, 1000);
    }
  });
});
