import request from 'supertest';
import { adminRoutesOf } from '../../../src/admin';
import { openApiDocument } from '../../../src/admin/openapi';
import { version } from '../../../package.json';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { mountedAdminRouter, validateWithIndependentValidator, type OpenApiDocument } from './admin-openapi-helpers';

/** Issue 13 item 2: `GET /admin/openapi.json`, the admin API's OpenAPI 3.1 document, built from the route table. */

const db = databasePerSuite();
let node: TestApp;

beforeEach(async () => {
  node = await startTestApp(db);
});
afterEach(async () => {
  await node.close();
});

async function fetchDocument(): Promise<OpenApiDocument> {
  const res = await request(node.baseUrl).get('/admin/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body as OpenApiDocument;
}

test('when fetched without a token, then the document is served and an independent validator accepts it as OpenAPI 3.1', async () => {
  const document = await fetchDocument();
  expect(document.openapi).toBe('3.1.0');
  const result = await validateWithIndependentValidator(document);
  expect(result).toEqual(expect.objectContaining({ valid: true, version: '3.1' }));
});

test('when the document is broken on purpose, then the same validator refuses it (it is no rubber stamp)', async () => {
  const document = await fetchDocument();
  document.paths['/partners/{id}']!.get!.parameters[0]!.required = false; // OpenAPI: a path parameter is always required
  expect(await validateWithIndependentValidator(document)).toEqual(expect.objectContaining({ valid: false }));
});

test('when read, then it names the node as its server, the package version and the admin token as bearer for every route but its own', async () => {
  const document = await fetchDocument();
  expect(document.servers).toEqual([{ url: `${node.baseUrl}/admin` }]);
  expect(document.info.version).toBe(version);
  expect(document.components.securitySchemes.adminToken).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  expect(document.security).toEqual([{ adminToken: [] }]);
  const anonymous = Object.entries(document.paths).filter(([, operations]) => operations.get?.security?.length === 0).map(([path]) => path);
  expect(anonymous.sort()).toEqual(['/docs', '/docs/assets/{file}', '/openapi.json']);
  const operationIds = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId));
  expect(new Set(operationIds).size).toBe(operationIds.length);
});

test('when compared with the route table of the live app, then the served document is exactly what the table builds', async () => {
  const routes = adminRoutesOf(mountedAdminRouter(node.app));
  const built = openApiDocument(routes, { adminBaseUrl: `${node.baseUrl}/admin`, version });
  expect(await fetchDocument()).toEqual(JSON.parse(JSON.stringify(built)));
});

test('when a list route is documented, then its query parameters are the pagination ones and its path parameters are listed', async () => {
  const document = await fetchDocument();
  const names = (path: string, method: string) => document.paths[path]![method]!.parameters.map((p) => `${p.in}:${p.name}`);
  expect(names('/locations', 'get')).toEqual(['query:offset', 'query:limit', 'query:date_from', 'query:date_to', 'query:cursor']);
  expect(names('/locations/{locationId}/evses/{evseUid}', 'patch')).toEqual(['path:locationId', 'path:evseUid', 'header:If-Match']);
  expect(names('/tokens/{countryCode}/{partyId}/{uid}', 'get')).toEqual(['path:countryCode', 'path:partyId', 'path:uid', 'query:type']);
});

test('when a guarded admin route is called without a token, then it still answers 401 (only the documentation is anonymous)', async () => {
  expectOcpi(await request(node.baseUrl).get('/admin/partners'), 401, 2000);
});

test('when the document is posted to, then it answers 405 naming GET', async () => {
  const res = await request(node.baseUrl).post('/admin/openapi.json');
  expectOcpi(res, 405, 2000);
  expect(res.headers.allow).toBe('GET');
});
