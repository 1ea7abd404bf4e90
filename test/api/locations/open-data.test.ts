import request from 'supertest';
import type { Response } from 'supertest';
import { Type } from '@sinclair/typebox';
import { Connector, Evse, Location } from '../../../src/modules/locations/locations.schema';
import { Endpoint } from '../../../src/modules/versions/versions.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { adminApi, ids, nextPath, registeredPartner, senderApi } from './location-api';

/** Issue 3, the open-data feed (ARCHITECTURE §1.2): anonymous callers see published locations only. */

const Details = Type.Object({ version: Type.Literal('2.2.1'), endpoints: Type.Array(Endpoint) });

const db = databasePerSuite();
let node: TestApp;

afterEach(async () => {
  await node.close();
});

/** Starts the node and stores P1, U2 (unpublished), P3, U4 (unpublished), P5. */
async function startWithLocations(env: Record<string, string> = {}): Promise<void> {
  node = await startTestApp(db, { env: { OPEN_DATA: 'true', ...env } });
  for (const id of ['P1', 'U2', 'P3', 'U4', 'P5']) {
    const body = locationBody(id, { publish: id.startsWith('P'), evses: [evseBody(`${id}-E1`, { connectors: [connectorBody('1')] })] });
    expectOcpi(await adminApi(node).put(`/${id}`, body), 201, 1000);
  }
}

function expectValidList(res: Response): void {
  expectOcpi(res, 200, 1000);
  for (const item of res.body.data as unknown[]) expect(problemsWith(Location, item)).toEqual([]);
}

describe('with OPEN_DATA on', () => {
  it('when an anonymous caller lists, then it sees only published locations and X-Total-Count counts only those', async () => {
    await startWithLocations();
    const res = await senderApi(node).get('');
    expectValidList(res);
    expect(ids(res)).toEqual(['P1', 'P3', 'P5']);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.headers['ocpi-from-party-id']).toBe('CPO');
  });

  it('when an anonymous caller pages through the feed, then Link and X-Total-Count only ever count published locations', async () => {
    await startWithLocations({ MAX_PAGE_SIZE: '2' });
    const first = await senderApi(node).get('');
    expectValidList(first);
    expect(ids(first)).toEqual(['P1', 'P3']);
    expect(first.headers['x-total-count']).toBe('3');
    const second = await request(node.baseUrl).get(nextPath(first)!);
    expectValidList(second);
    expect(ids(second)).toEqual(['P5']);
    expect(second.headers.link).toBeUndefined();
  });

  it('when an anonymous caller GETs a published location, EVSE or connector, then it is served; an unpublished one is 404 / 2003 at every level', async () => {
    await startWithLocations();
    const anonymous = senderApi(node);
    expectOcpi(await anonymous.get('/P3'), 200, 1000, Location);
    expectOcpi(await anonymous.get('/P3/P3-E1'), 200, 1000, Evse);
    expectOcpi(await anonymous.get('/p3/p3-e1/1'), 200, 1000, Connector);
    for (const path of ['/U2', '/U2/U2-E1', '/U2/U2-E1/1', '/u4']) {
      const res = await anonymous.get(path);
      expectOcpi(res, 404, 2003);
      expect(res.body.data).toBeUndefined();
    }
  });

  it('when a partner lists or GETs, then it sees unpublished locations too', async () => {
    await startWithLocations();
    const partner = senderApi(node, await registeredPartner(node));
    const list = await partner.get('');
    expectValidList(list);
    expect(ids(list)).toEqual(['P1', 'U2', 'P3', 'U4', 'P5']);
    expect(list.headers['x-total-count']).toBe('5');
    expectOcpi(await partner.get('/U2/U2-E1/1'), 200, 1000, Connector);
  });

  it('when an anonymous caller reads version details, then locations is listed and credentials is not', async () => {
    await startWithLocations();
    const details = await request(node.baseUrl).get('/ocpi/2.2.1');
    expectOcpi(details, 200, 1000, Details);
    expect(details.body.data.endpoints).toContainEqual({ identifier: 'locations', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/locations` });
    expect(details.body.data.endpoints.map((e: { identifier: string }) => e.identifier)).not.toContain('credentials');
  });

  it('when a location is unpublished during an anonymous sync, then following Link still reaches every location that stays published', async () => {
    await startWithLocations({ MAX_PAGE_SIZE: '1' });
    const seen: string[] = [];
    let path: string | undefined = '/ocpi/2.2.1/locations';
    for (let page = 1; path !== undefined && page <= 10; page++) {
      const res = await request(node.baseUrl).get(path);
      expectValidList(res);
      seen.push(...ids(res));
      if (page === 1) {
        const admin = adminApi(node);
        const p1 = await admin.get('/P1');
        expectOcpi(await admin.patch('/P1', { publish: false }, { 'If-Match': p1.headers.etag }), 200, 1000);
      }
      path = nextPath(res);
    }
    expect(seen).toEqual(['P1', 'P3', 'P5']);
  });

  it('when anonymous requests pass OPEN_DATA_RATE_LIMIT, then 429 with the envelope, while a partner token is not limited', async () => {
    await startWithLocations({ OPEN_DATA_RATE_LIMIT: '5' });
    const partner = senderApi(node, await registeredPartner(node));
    const anonymous = senderApi(node);
    for (let i = 0; i < 5; i++) expectOcpi(await anonymous.get(i % 2 === 0 ? '' : '/P1'), 200, 1000);
    const limited = await anonymous.get('');
    expectOcpi(limited, 429, 2000);
    expect(limited.body.data).toBeUndefined();
    expectOcpi(await anonymous.get('/P1'), 429, 2000);
    for (let i = 0; i < 8; i++) expectOcpi(await partner.get(i % 2 === 0 ? '' : '/U2'), 200, 1000);
  });
});

describe('with OPEN_DATA off', () => {
  it('when an anonymous caller lists or GETs locations, then 401 while partners are still served', async () => {
    await startWithLocations({ OPEN_DATA: 'false' });
    const anonymous = senderApi(node);
    for (const path of ['', '/P1', '/P1/P1-E1', '/P1/P1-E1/1']) {
      const res = await anonymous.get(path);
      expectOcpi(res, 401, 2000);
      expect(res.body.data).toBeUndefined();
    }
    const partner = senderApi(node, await registeredPartner(node));
    expectOcpi(await partner.get('/P1'), 200, 1000, Location);
  });
});
