import request from 'supertest';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { labelValues, parseScrape, scrape } from './metrics-api';

/** Issue 13 item 1: `GET /metrics`, who may read it, and what its HTTP series are labelled with. */

const db = databasePerSuite();
const nodes: TestApp[] = [];

async function startNode(env: Record<string, string> = {}): Promise<TestApp> {
  const node = await startTestApp(db, { env });
  nodes.push(node);
  return node;
}

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.close()));
});

describe('access', () => {
  it('when no token, a wrong token or a partner slot token is sent, then 401 in the OCPI envelope', async () => {
    const node = await startNode();
    const slot = await request(node.app).post('/admin/partners').set('Authorization', `Bearer ${node.adminToken}`);
    expectOcpi(slot, 201, 1000);
    expectOcpi(await request(node.app).get('/metrics'), 401, 2000);
    expectOcpi(await request(node.app).get('/metrics').set('Authorization', 'Bearer wrong-admin-token'), 401, 2000);
    expectOcpi(await request(node.app).get('/metrics').set('Authorization', `Bearer ${slot.body.data.token_a}`), 401, 2000);
  });

  it('when the admin token is sent, then 200 in Prometheus text format with the process, Node.js and pool metrics', async () => {
    const node = await startNode();
    const res = await request(node.app).get('/metrics').set('Authorization', `Token ${Buffer.from(node.adminToken).toString('base64')}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).not.toContain('status_code');
    const scraped = parseScrape(res.text);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(scraped.samples(name).length).toBeGreaterThan(0);
    }
    expect(scraped.value('db_pool_max_connections')).toBeGreaterThanOrEqual(1);
    expect(scraped.value('db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(scraped.value('db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
    expect(scraped.value('db_pool_waiting_queries')).toBe(0);
  });

  it('when METRICS_PUBLIC=true, then anonymous callers get them too', async () => {
    const node = await startNode({ METRICS_PUBLIC: 'true' });
    const res = await request(node.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(parseScrape(res.text).samples('process_cpu_user_seconds_total').length).toBeGreaterThan(0);
  });

  it('when a method other than GET is used, then 405', async () => {
    const node = await startNode();
    expectOcpi(await request(node.app).post('/metrics').set('Authorization', `Bearer ${node.adminToken}`), 405, 2000);
  });

  it('when two nodes run in one process, then each has its own registry and counts only its own requests', async () => {
    const [first, second] = [await startNode(), await startNode()];
    await request(first.app).get('/health').expect(200);
    await request(first.app).get('/health').expect(200);
    const labels = { route: '/health', method: 'GET', status: '200' };
    expect((await scrape(first)).value('http_requests_total', labels)).toBe(2);
    expect((await scrape(second)).value('http_requests_total', labels)).toBeUndefined();
  });
});

describe('HTTP series', () => {
  it('when requests name ids, then the series carry the route templates, never the ids', async () => {
    const node = await startNode();
    const admin = (method: 'get' | 'put', path: string) => request(node.app)[method](path).set('Authorization', `Bearer ${node.adminToken}`);
    const answers = [
      await admin('get', '/admin/locations/SOME-ID'),
      await admin('get', '/admin/locations/SOME-ID/evses/SOME-EVSE'),
      await admin('get', '/admin/partners/SOME-ID/deliveries'),
      await admin('get', '/admin/locations'),
      await request(node.app).get('/ocpi/2.2.1/locations/SOME-ID'),
      await request(node.app).get('/ocpi/2.2.1/LOCATIONS/SOME-ID'),
      await request(node.app).get('/nowhere/SOME-ID'),
      await request(node.app).get('/admin/tariffs/SOME-ID'),
    ];
    expect(answers.map((a) => [a.status, a.body.status_code])).toEqual([
      [404, 2003], [404, 2003], [404, 2000], [200, 1000], [404, 2003], [404, 2003], [404, 2000], [401, 2000],
    ]);

    const scraped = await scrape(node);
    expect(labelValues(scraped).filter((v) => v.includes('SOME-'))).toEqual([]);
    const requests = (route: string, status: string) => scraped.value('http_requests_total', { route, method: 'GET', status });
    expect(requests('/admin/locations/:locationId', '404')).toBe(1);
    expect(requests('/admin/locations/:locationId/evses/:evseUid', '404')).toBe(1);
    expect(requests('/admin/partners/:id/deliveries', '404')).toBe(1);
    expect(requests('/admin/locations', '200')).toBe(1);
    expect(requests('/ocpi/2.2.1/locations/:locationId', '404')).toBe(2);
    expect(requests('unmatched', '404')).toBe(1);
    expect(requests('unmatched', '401')).toBe(1);
    expect(scraped.observations('http_request_duration_seconds', { route: '/ocpi/2.2.1/locations/:locationId', method: 'GET', status: '404' })).toBe(2);
  });
});
