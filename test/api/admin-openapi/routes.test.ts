import request from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { documentedRoutes, liveAdminRoutes, type OpenApiDocument } from './admin-openapi-helpers';

/** Issue 13 item 2: the document and the live API list the same admin routes, no more, no less. */

const db = databasePerSuite();
let node: TestApp;
let document: OpenApiDocument;

beforeEach(async () => {
  node = await startTestApp(db);
  document = (await request(node.baseUrl).get('/admin/openapi.json')).body as OpenApiDocument;
});
afterEach(async () => {
  await node.close();
});

test('when the live app is walked, then every route it registers under /admin is in the document with its method, and nothing else is', () => {
  const live = liveAdminRoutes(node.app);
  expect(live.length).toBeGreaterThan(40);
  expect(new Set(live).size).toBe(live.length);
  expect([...documentedRoutes(document)].sort()).toEqual([...live].sort());
});

test('when every documented operation is called, then the node answers it (never its unknown-endpoint 404, a 405 or a 401)', async () => {
  for (const route of documentedRoutes(document)) {
    const [method, path] = route.split(' ') as [string, string];
    const url = path.replace(/:(\w+)/g, 'probe');
    const res = await request(node.baseUrl)[method.toLowerCase() as 'get'](url).set('Authorization', `Bearer ${node.adminToken}`);
    const answer = `${route} → ${res.status} ${String(res.body?.status_message ?? '')}`;
    expect({ answer, unknown: /^No endpoint at/.test(String(res.body?.status_message)) || res.status === 405 || res.status === 401 }).toEqual({ answer, unknown: false });
  }
}, 120_000);

test('when an undocumented admin path is called, then it is the unknown-endpoint 404 the probe above tells apart', async () => {
  const res = await request(node.baseUrl).get('/admin/no-such-thing').set('Authorization', `Bearer ${node.adminToken}`);
  expect(res.status).toBe(404);
  expect(res.body.status_message).toBe('No endpoint at GET /admin/no-such-thing');
});
