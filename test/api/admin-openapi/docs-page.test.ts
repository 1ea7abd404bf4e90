import request from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';

/** Issue 13 item 2: `GET /admin/docs`, Swagger UI served by the node itself (no CDN). */

const db = databasePerSuite();
let node: TestApp;

beforeEach(async () => {
  node = await startTestApp(db);
});
afterEach(async () => {
  await node.close();
});

/** Every `src` and `href` of the page. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
}

test('when the docs page is opened without a token, then it is HTML whose every asset is referenced on the node itself', async () => {
  const res = await request(node.baseUrl).get('/admin/docs');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  const urls = assetUrls(res.text);
  expect(urls.length).toBeGreaterThanOrEqual(3);
  expect(res.text).not.toMatch(/https?:\/\//);
  for (const url of urls) expect(new URL(url, `${node.baseUrl}/admin/docs`).origin).toBe(node.baseUrl);
});

test('when each asset the page references is fetched, then the node serves it as JavaScript or CSS', async () => {
  const page = await request(node.baseUrl).get('/admin/docs');
  for (const url of assetUrls(page.text)) {
    const res = await request(node.baseUrl).get(new URL(url, `${node.baseUrl}/admin/docs`).pathname);
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    expect(res.headers['content-type']).toMatch(url.endsWith('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
    expect(Number(res.headers['content-length'] ?? res.text.length)).toBeGreaterThan(0);
  }
});

test('when the page script is read, then it loads the document from the node and asks no outside validator', async () => {
  const script = await request(node.baseUrl).get('/admin/docs/assets/docs.js');
  expect(script.text).toContain("url: 'openapi.json'");
  expect(script.text).toContain('validatorUrl: null');
  expect((await request(node.baseUrl).get(new URL('openapi.json', `${node.baseUrl}/admin/docs`).pathname)).status).toBe(200);
});

test('when the page is served, then a Content-Security-Policy allows scripts and styles from the node only', async () => {
  const csp = (await request(node.baseUrl).get('/admin/docs')).headers['content-security-policy'] as string;
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain(`connect-src 'self' ${node.baseUrl}`);
});

test('when the page is asked for with a trailing slash, then it redirects to the address its relative links expect', async () => {
  const res = await request(node.baseUrl).get('/admin/docs/');
  expect(res.status).toBe(301);
  expect(res.headers.location).toBe('../docs');
});

test('when an asset that the page does not use is asked for, then it is 404 (the package folder is not browsable)', async () => {
  for (const name of ['index.html', 'package.json', '..%2Fpackage.json', 'swagger-initializer.js']) {
    const res = await request(node.baseUrl).get(`/admin/docs/assets/${name}`);
    expect({ name, status: res.status }).toEqual({ name, status: 404 });
  }
});
