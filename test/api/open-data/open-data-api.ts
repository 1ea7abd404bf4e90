import request from 'supertest';
import type { Response } from 'supertest';
import { check } from '@placemarkio/check-geojson';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { adminCall, withHeaders, type Headers } from '../../helpers/request-headers';
import { tariffBody } from '../../helpers/tariff-factory';
import type { TestApp } from '../../helpers/test-app';

/** Shared plumbing of the open-data feed and map tests (not a test file itself). */

export const FEED = '/open-data/locations.geojson';

/** The feed's body as text, whatever its content type (the validator must see exactly what was sent). */
export function getFeed(node: TestApp, headers: Headers = {}) {
  return withHeaders(request(node.baseUrl).get(FEED), headers)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
}

/** Validates the body as RFC 7946 with an independent checker and returns the collection. */
export function featureCollection(res: Response): { type: string; features: { id: string; geometry: { coordinates: number[] }; properties: Record<string, any> }[] } {
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
  return check(res.body as string) as any;
}

/** Published P1 (two EVSEs, one REMOVED later by tests that want it), P3, P5 at distinct places; U2, U4 unpublished. */
export const PLACES: Record<string, { latitude: string; longitude: string }> = {
  P1: { latitude: '52.089444', longitude: '5.110278' },
  U2: { latitude: '52.370216', longitude: '4.895168' },
  P3: { latitude: '51.924420', longitude: '4.477733' },
  U4: { latitude: '52.011577', longitude: '4.357068' },
  P5: { latitude: '51.441642', longitude: '5.469722' },
};

/** Stores the ad-hoc tariff ADHOC-1 and the contract tariff REGULAR-1 (connectors of P1 name both). */
export async function seedTariffs(node: TestApp): Promise<void> {
  const admin = adminCall(node, '/admin/tariffs');
  expectOcpi(await admin('put', '/ADHOC-1').send(tariffBody('ADHOC-1', {
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }, { type: 'FLAT', price: 1, vat: 20, step_size: 1 }] }],
  })), 201, 1000);
  expectOcpi(await admin('put', '/REGULAR-1').send(tariffBody('REGULAR-1', { type: 'REGULAR' })), 201, 1000);
}

/** The locations the tests expect: names carry "Secret" on the unpublished ones, so a leak is easy to spot. */
export async function seedLocations(node: TestApp): Promise<void> {
  await seedTariffs(node);
  const admin = adminCall(node, '/admin/locations');
  for (const id of ['P1', 'U2', 'P3', 'U4', 'P5']) {
    const published = id.startsWith('P');
    const tariffIds = id === 'P1' ? { tariff_ids: ['REGULAR-1', 'ADHOC-1'] } : {};
    const evses = [
      evseBody(`${id}-E1`, { connectors: [connectorBody('1', { max_electric_power: 22000, ...tariffIds }), connectorBody('2', { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 200, max_electric_power: 150000 })] }),
      evseBody(`${id}-E2`, { status: 'CHARGING', connectors: [connectorBody('1', { max_electric_power: 22000, ...tariffIds })] }),
    ];
    const body = locationBody(id, { publish: published, name: published ? `Station ${id}` : `Secret Depot ${id}`, coordinates: PLACES[id], evses });
    expectOcpi(await admin('put', `/${id}`).send(body), 201, 1000);
  }
}

/** Changes an EVSE's status the way the CSMS does: PATCH with If-Match through the admin API. */
export async function setEvseStatus(node: TestApp, locationId: string, uid: string, status: string): Promise<void> {
  const admin = adminCall(node, '/admin/locations');
  const current = await admin('get', `/${locationId}/evses/${uid}`);
  expectOcpi(current, 200, 1000);
  expectOcpi(await admin('patch', `/${locationId}/evses/${uid}`, { 'If-Match': current.headers.etag }).send({ status }), 200, 1000);
}
