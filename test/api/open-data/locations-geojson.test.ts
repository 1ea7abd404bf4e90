import request from 'supertest';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { adminCall } from '../../helpers/request-headers';
import { tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { FEED, PLACES, featureCollection, getFeed, seedLocations, setEvseStatus } from './open-data-api';

/** Issue 13 item 3: the published locations as an RFC 7946 FeatureCollection, anonymous, cached by ETag. */

const db = databasePerSuite();
let node: TestApp;

afterEach(async () => {
  await node.close();
});

async function start(env: Record<string, string> = {}): Promise<void> {
  node = await startTestApp(db, { env: { OPEN_DATA: 'true', ...env } });
  await seedLocations(node);
}

describe('GET /open-data/locations.geojson', () => {
  it('when an anonymous caller reads it, then it is a valid RFC 7946 FeatureCollection of exactly the published locations', async () => {
    await start();
    const res = await getFeed(node);
    const collection = featureCollection(res);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((f) => f.id)).toEqual(['P1', 'P3', 'P5']);
    for (const feature of collection.features) {
      const place = PLACES[feature.id]!;
      expect(feature.geometry).toEqual({ type: 'Point', coordinates: [Number(place.longitude), Number(place.latitude)] });
    }
    expect(res.body).not.toMatch(/Secret|U2|U4/);
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    expect(res.headers.etag).toMatch(/^W\/".+"$/);
  });

  it('when a location is read, then it carries its address, EVSE statuses, counts by status and by connector, availability and ad-hoc tariff', async () => {
    await start();
    const [p1] = featureCollection(await getFeed(node)).features;
    expect(p1!.properties).toMatchObject({
      id: 'P1', name: 'Station P1', address: 'Stationsplein 1', city: 'Utrecht', postal_code: '3511 ED', country: 'NLD', time_zone: 'Europe/Amsterdam',
      availability: 'AVAILABLE',
      status_counts: { AVAILABLE: 1, CHARGING: 1 },
    });
    expect(p1!.properties.evses.map((e: { uid: string; status: string }) => [e.uid, e.status])).toEqual([['P1-E1', 'AVAILABLE'], ['P1-E2', 'CHARGING']]);
    expect(p1!.properties.evses[0].evse_id).toBe('NL*CPO*EP1E1');
    expect(p1!.properties.connector_counts).toEqual([
      { standard: 'IEC_62196_T2', power_type: 'AC_3_PHASE', max_electric_power_kw: 22, count: 2 },
      { standard: 'IEC_62196_T2_COMBO', power_type: 'DC', max_electric_power_kw: 150, count: 1 },
    ]);
    // Only the AD_HOC_PAYMENT tariff is the ad-hoc price; the REGULAR one the connector also names is a contract price.
    expect(p1!.properties.tariffs).toHaveLength(1);
    expect(p1!.properties.tariffs[0]).toMatchObject({ id: 'ADHOC-1', currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5 }, { type: 'FLAT', price: 1 }] }] });
    expect(p1!.properties.tariffs[0].country_code).toBeUndefined();
    expect(p1!.properties.evses[0].connectors[0].tariff_id).toBe('ADHOC-1');
    expect(p1!.properties.evses[0].connectors[1].tariff_id).toBeNull();
  });

  it('when EVSEs change status or are removed, then availability follows: removed EVSEs vanish, all taken is OCCUPIED, none usable is UNAVAILABLE', async () => {
    await start();
    const admin = adminCall(node, '/admin/locations');
    const e1 = await admin('get', '/P3/evses/P3-E1');
    expectOcpi(await admin('delete', '/P3/evses/P3-E1', { 'If-Match': e1.headers.etag }), 200, 1000);
    await setEvseStatus(node, 'P5', 'P5-E1', 'OUTOFORDER');
    await setEvseStatus(node, 'P5', 'P5-E2', 'INOPERATIVE');
    const features = featureCollection(await getFeed(node)).features;
    const p3 = features.find((f) => f.id === 'P3')!.properties;
    expect(p3.evses.map((e: { uid: string }) => e.uid)).toEqual(['P3-E2']);
    expect(p3.status_counts).toEqual({ CHARGING: 1 });
    expect(p3.availability).toBe('OCCUPIED');
    expect(features.find((f) => f.id === 'P5')!.properties.availability).toBe('UNAVAILABLE');
  });

  it('when a location is unpublished, then it leaves the feed; when one is published, then it joins it', async () => {
    await start();
    const admin = adminCall(node, '/admin/locations');
    for (const [id, publish] of [['P3', false], ['U4', true]] as const) {
      const current = await admin('get', `/${id}`);
      expectOcpi(await admin('patch', `/${id}`, { 'If-Match': current.headers.etag }).send({ publish }), 200, 1000);
    }
    expect(featureCollection(await getFeed(node)).features.map((f) => f.id)).toEqual(['P1', 'U4', 'P5']);
  });

  it('when If-None-Match names the current ETag, then 304 without a body; after an EVSE status change or an ad-hoc price change, a new ETag', async () => {
    await start();
    const first = await getFeed(node);
    const unchanged = await getFeed(node, { 'If-None-Match': first.headers.etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.etag).toBe(first.headers.etag);

    await setEvseStatus(node, 'P1', 'P1-E1', 'CHARGING');
    const afterStatus = await getFeed(node, { 'If-None-Match': first.headers.etag });
    expect(featureCollection(afterStatus).features[0]!.properties.availability).toBe('OCCUPIED');
    expect(afterStatus.headers.etag).not.toBe(first.headers.etag);

    const tariffs = adminCall(node, '/admin/tariffs');
    expectOcpi(await tariffs('put', '/ADHOC-1').send(tariffBody('ADHOC-1', { currency: 'GBP' })), 200, 1000);
    const afterPrice = await getFeed(node, { 'If-None-Match': afterStatus.headers.etag });
    expect(featureCollection(afterPrice).features[0]!.properties.tariffs[0].currency).toBe('GBP');
    expect(afterPrice.headers.etag).not.toBe(afterStatus.headers.etag);
  });

  it('when an unpublished location changes, then the ETag stays the same (it is not in the feed)', async () => {
    await start();
    const first = await getFeed(node);
    await setEvseStatus(node, 'U2', 'U2-E1', 'CHARGING');
    expect((await getFeed(node, { 'If-None-Match': first.headers.etag })).status).toBe(304);
  });

  it('when a token holder reads it, then it gets the same feed', async () => {
    await start();
    const res = await getFeed(node, { Authorization: `Bearer ${node.adminToken}` });
    expect(featureCollection(res).features.map((f) => f.id)).toEqual(['P1', 'P3', 'P5']);
  });

  it('when OPEN_DATA is off, then the feed and the map are unknown paths: 404 with the OCPI envelope', async () => {
    await start({ OPEN_DATA: 'false' });
    for (const path of [FEED, '/', '/map', '/open-data/assets/leaflet/leaflet.js']) expectOcpi(await request(node.baseUrl).get(path), 404, 2000);
  });

  it('when anonymous requests pass OPEN_DATA_RATE_LIMIT, then 429 with the envelope, while the admin token is not limited', async () => {
    await start({ OPEN_DATA_RATE_LIMIT: '3' });
    for (let i = 0; i < 3; i++) expect((await getFeed(node)).status).toBe(200);
    const limited = await request(node.baseUrl).get(FEED);
    expectOcpi(limited, 429, 2000);
    expectOcpi(await request(node.baseUrl).get('/map'), 429, 2000);
    for (let i = 0; i < 5; i++) expect((await getFeed(node, { Authorization: `Bearer ${node.adminToken}` })).status).toBe(200);
  });
});
