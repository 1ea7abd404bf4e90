import request from 'supertest';
import { Type } from '@sinclair/typebox';
import { Connector, Location } from '../../../src/modules/locations/locations.schema';
import { Endpoint } from '../../../src/modules/versions/versions.schema';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { adminApi, ids, ManualClock, nextPath, registeredPartner } from '../locations/location-api';
import { expectTariffList, tariffAdmin, tariffSender } from './tariff-api';

/**
 * The open-data feed of tariffs (AFIR ad-hoc prices): an anonymous caller sees exactly the tariffs a
 * connector of a published location names, never others; partners see every tariff.
 */

const Details = Type.Object({ version: Type.Literal('2.2.1'), endpoints: Type.Array(Endpoint) });

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let locations: ReturnType<typeof adminApi>;

afterEach(async () => {
  await node.close();
});

/**
 * T-PUB (named by the published PUBLIC only), T-PRIV (named by the unpublished PRIVATE only), T-NONE
 * (named by nothing), T-BOTH (named by both, and by two connectors of PUBLIC); created one second apart.
 */
async function start(env: Record<string, string> = {}): Promise<void> {
  clock = new ManualClock();
  node = await startTestApp(db, { clock, env: { OPEN_DATA: 'true', ...env } });
  locations = adminApi(node);
  for (const id of ['T-PUB', 'T-PRIV', 'T-NONE', 'T-BOTH']) {
    clock.advance(1000);
    expectOcpi(await tariffAdmin(node).put(`/${id}`, tariffBody(id)), 201, 1000);
  }
  const connectors = (first: string[], second: string[]) => [connectorBody('1', { tariff_ids: first }), connectorBody('2', { tariff_ids: second })];
  const pub = locationBody('PUBLIC', { publish: true, evses: [evseBody('PUB-E1', { connectors: connectors(['T-PUB', 'T-BOTH'], ['t-both']) })] });
  const priv = locationBody('PRIVATE', { publish: false, evses: [evseBody('PRIV-E1', { connectors: connectors(['T-PRIV'], ['T-BOTH']) })] });
  expectOcpi(await locations.put('/PUBLIC', pub), 201, 1000, Location);
  expectOcpi(await locations.put('/PRIVATE', priv), 201, 1000, Location);
}

const anonymousList = async (query = '') => {
  const res = await tariffSender(node).list(query);
  expectTariffList(res);
  return res;
};

/** Sets a connector's tariff_ids through the admin PATCH. */
async function nameTariffs(path: string, tariffIds: string[]): Promise<void> {
  const connector = await locations.get(path);
  expectOcpi(await locations.patch(path, { tariff_ids: tariffIds }, { 'If-Match': connector.headers.etag }), 200, 1000, Connector);
}

async function setPublish(id: string, publish: boolean): Promise<void> {
  const location = await locations.get(`/${id}`);
  expectOcpi(await locations.patch(`/${id}`, { publish }, { 'If-Match': location.headers.etag }), 200, 1000, Location);
}

describe('with OPEN_DATA on', () => {
  it('when an anonymous caller lists, then it sees T-PUB and T-BOTH only, each once, and X-Total-Count counts only those', async () => {
    await start();
    const res = await anonymousList();
    expect(ids(res)).toEqual(['T-PUB', 'T-BOTH']);
    expect(res.headers['x-total-count']).toBe('2');
    expect(res.headers.link).toBeUndefined();
    expect(res.headers['ocpi-from-party-id']).toBe('CPO');
    expect(res.body.data[1]).toEqual((await tariffAdmin(node).get('/T-BOTH')).body.data);
  });

  it('when a partner lists, then it sees all four tariffs', async () => {
    await start();
    const res = await tariffSender(node, await registeredPartner(node)).list();
    expectTariffList(res);
    expect(ids(res)).toEqual(['T-PUB', 'T-PRIV', 'T-NONE', 'T-BOTH']);
    expect(res.headers['x-total-count']).toBe('4');
  });

  it('when the published location stops naming T-PUB (connector PATCH), then T-PUB disappears from the anonymous list', async () => {
    await start();
    await nameTariffs('/PUBLIC/evses/PUB-E1/connectors/1', ['T-BOTH']);
    const res = await anonymousList();
    expect(ids(res)).toEqual(['T-BOTH']);
    expect(res.headers['x-total-count']).toBe('1');

    await nameTariffs('/PUBLIC/evses/PUB-E1/connectors/2', []);
    expect(ids(await anonymousList())).toEqual(['T-BOTH']);
    await nameTariffs('/PUBLIC/evses/PUB-E1/connectors/1', []);
    const none = await anonymousList();
    expect(none.body.data).toEqual([]);
    expect(none.headers['x-total-count']).toBe('0');
  });

  it('when the published location starts naming T-NONE, then it appears', async () => {
    await start();
    await nameTariffs('/PUBLIC/evses/PUB-E1/connectors/2', ['T-NONE']);
    expect(ids(await anonymousList())).toEqual(['T-PUB', 'T-NONE', 'T-BOTH']);
  });

  it('when the unpublished location is published, then its tariffs appear; unpublished again, they go', async () => {
    await start();
    await setPublish('PRIVATE', true);
    const published = await anonymousList();
    expect(ids(published)).toEqual(['T-PUB', 'T-PRIV', 'T-BOTH']);
    expect(published.headers['x-total-count']).toBe('3');

    await setPublish('PRIVATE', false);
    await setPublish('PUBLIC', false);
    const none = await anonymousList();
    expect(none.body.data).toEqual([]);
    expect(none.headers['x-total-count']).toBe('0');
  });

  it('when an anonymous caller pages through the feed, then Link and X-Total-Count only ever count the tariffs it may see', async () => {
    await start({ MAX_PAGE_SIZE: '1' });
    const first = await anonymousList();
    expect(ids(first)).toEqual(['T-PUB']);
    expect(first.headers['x-total-count']).toBe('2');
    const second = await request(node.baseUrl).get(nextPath(first)!);
    expectTariffList(second);
    expect(ids(second)).toEqual(['T-BOTH']);
    expect(second.headers['x-total-count']).toBe('2');
    expect(second.headers.link).toBeUndefined();
  });

  it('when an anonymous caller filters by date, then the filter narrows the open-data view and never widens it', async () => {
    await start();
    const privCreated = (await tariffAdmin(node).get('/T-PRIV')).body.data.last_updated as string;
    const res = await anonymousList(`date_from=${privCreated}`);
    expect(ids(res)).toEqual(['T-BOTH']);
    expect(res.headers['x-total-count']).toBe('1');
    const partner = await tariffSender(node, await registeredPartner(node)).list(`date_from=${privCreated}`);
    expect(ids(partner)).toEqual(['T-PRIV', 'T-NONE', 'T-BOTH']);
  });

  it('when an anonymous caller reads version details, then tariffs is listed as SENDER', async () => {
    await start();
    const details = await request(node.baseUrl).get('/ocpi/2.2.1');
    expectOcpi(details, 200, 1000, Details);
    expect(details.body.data.endpoints).toContainEqual({ identifier: 'tariffs', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/tariffs` });
  });
});

describe('with OPEN_DATA off', () => {
  it('when an anonymous caller lists tariffs, then 401 while a partner is still served all four', async () => {
    await start({ OPEN_DATA: 'false' });
    const res = await tariffSender(node).list();
    expectOcpi(res, 401, 2000);
    expect(res.body.data).toBeUndefined();

    const partner = await tariffSender(node, await registeredPartner(node)).list();
    expectTariffList(partner);
    expect(ids(partner)).toEqual(['T-PUB', 'T-PRIV', 'T-NONE', 'T-BOTH']);
  });

  it('when an anonymous caller reads version details, then 401', async () => {
    await start({ OPEN_DATA: 'false' });
    expectOcpi(await request(node.baseUrl).get('/ocpi/2.2.1'), 401, 2000);
  });
});
