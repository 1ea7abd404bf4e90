import request from 'supertest';
import { Type } from '@sinclair/typebox';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { FakeEmsp, tokenHeader } from '../helpers/fake-emsp';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite } from '../helpers/test-database';
import { Endpoint, Version } from '../../src/modules/versions/versions.schema';

const VersionList = Type.Array(Version, { minItems: 1 });
const Details = Type.Object({ version: Type.Literal('2.2.1'), endpoints: Type.Array(Endpoint) });

const db = databasePerSuite();
let node: TestApp;

afterEach(async () => {
  await node.close();
});

async function registeredPartnerToken(): Promise<string> {
  const emsp = await new FakeEmsp().start();
  try {
    const slot = await request(node.app).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
    await emsp.registerWithNode(slot.body.data.versions_url, slot.body.data.token_a);
    return emsp.tokenForNode!;
  } finally {
    await emsp.stop();
  }
}

describe('versions and version details', () => {
  it('when a registered eMSP asks, then it gets 2.2.1 and the endpoints its role may use, with absolute URLs', async () => {
    node = await startTestApp(db);
    const token = await registeredPartnerToken();
    const versions = await request(node.app).get('/ocpi/versions').set('Authorization', tokenHeader(token));
    expectOcpi(versions, 200, 1000, VersionList);
    expect(versions.body.data).toEqual([{ version: '2.2.1', url: `${node.baseUrl}/ocpi/2.2.1` }]);

    const details = await request(node.app).get('/ocpi/2.2.1').set('Authorization', tokenHeader(token));
    expectOcpi(details, 200, 1000, Details);
    expect(details.body.data.endpoints).toContainEqual({
      identifier: 'credentials',
      role: 'SENDER',
      url: `${node.baseUrl}/ocpi/2.2.1/credentials`,
    });
    expect(details.headers['ocpi-from-party-id']).toBeUndefined();
  });

  it('when a token A asks, then it sees credentials and every endpoint its role will use once registered (digest §2.3 step 3)', async () => {
    node = await startTestApp(db);
    const slot = await request(node.app).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
    const details = await request(node.app).get('/ocpi/2.2.1').set('Authorization', tokenHeader(slot.body.data.token_a));
    expectOcpi(details, 200, 1000, Details);
    expect(details.body.data.endpoints).toEqual([
      { identifier: 'credentials', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/credentials` },
      { identifier: 'locations', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/locations` },
      { identifier: 'tariffs', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/tariffs` },
      { identifier: 'cdrs', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/cdrs` },
      { identifier: 'sessions', role: 'SENDER', url: `${node.baseUrl}/ocpi/2.2.1/sessions` },
      { identifier: 'tokens', role: 'RECEIVER', url: `${node.baseUrl}/ocpi/2.2.1/tokens` },
      { identifier: 'commands', role: 'RECEIVER', url: `${node.baseUrl}/ocpi/2.2.1/commands` },
    ]);
  });

  it('when an anonymous caller asks with OPEN_DATA on, then it gets the open-data view without credentials', async () => {
    node = await startTestApp(db, { env: { OPEN_DATA: 'true' } });
    expectOcpi(await request(node.app).get('/ocpi/versions'), 200, 1000, VersionList);
    const details = await request(node.app).get('/ocpi/2.2.1');
    expectOcpi(details, 200, 1000, Details);
    expect(details.body.data.endpoints.map((e: { identifier: string }) => e.identifier)).toEqual(['locations', 'tariffs']);
  });

  it('when an anonymous caller asks with OPEN_DATA off, then 401', async () => {
    node = await startTestApp(db, { env: { OPEN_DATA: 'false' } });
    const res = await request(node.app).get('/ocpi/versions');
    expectOcpi(res, 401, 2000);
    expect(res.headers['www-authenticate']).toBe('Token');
    expectOcpi(await request(node.app).get('/ocpi/2.2.1'), 401, 2000);
  });

  it.each([
    ['an unknown token', tokenHeader('no-such-token')],
    ['an unknown raw token', 'Token no-such-token'],
    ['a malformed header', 'Basic dXNlcjpwYXNz'],
    ['an empty token', 'Token '],
  ])('when the caller sends %s, then 401 with the envelope', async (_label, header) => {
    node = await startTestApp(db);
    expectOcpi(await request(node.app).get('/ocpi/versions').set('Authorization', header), 401, 2000);
  });

  it('when the admin token is used on OCPI, then 401 (it is not a partner)', async () => {
    node = await startTestApp(db);
    expectOcpi(await request(node.app).get('/ocpi/2.2.1/credentials').set('Authorization', `Bearer ${node.adminToken}`), 401, 2000);
  });

  it('when versions is called with another method, then 405', async () => {
    node = await startTestApp(db);
    const res = await request(node.app).post('/ocpi/versions').send({});
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET');
  });

  it('when the request carries X-Request-ID and X-Correlation-ID, then both are echoed; otherwise generated', async () => {
    node = await startTestApp(db);
    const echoed = await request(node.app).get('/ocpi/versions').set('X-Request-ID', 'req-1').set('X-Correlation-ID', 'corr-1');
    expect(echoed.headers['x-request-id']).toBe('req-1');
    expect(echoed.headers['x-correlation-id']).toBe('corr-1');
    const generated = await request(node.app).get('/ocpi/versions');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a trailing slash is used, then the same endpoint answers', async () => {
    node = await startTestApp(db);
    expectOcpi(await request(node.app).get('/ocpi/versions/'), 200, 1000, VersionList);
  });
});
