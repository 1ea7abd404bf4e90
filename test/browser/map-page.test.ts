import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { connectorBody, evseBody, locationBody } from '../helpers/location-factory';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { adminCall } from '../helpers/request-headers';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite } from '../helpers/test-database';
import { PLACES, seedLocations, setEvseStatus } from '../api/open-data/open-data-api';

/** Issue 13 item 4: the public map page in a real headless Chromium (Debian's package; .ci/run installs it). */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Where the screenshot goes, to be looked at by a person (never committed). */
const SCREENSHOT = join(tmpdir(), 'ocpi-open-data-map.png');
const UNPUBLISHED = ['Secret Depot', '"U2"', '"U4"', 'U2-E1', 'U4-E1', 'NL*CPO*EU2E1', 'NL*CPO*EU4E1'];

const chromiumPresent = existsSync(CHROMIUM);
const describeWithChromium = chromiumPresent ? describe : describe.skip;

const db = databasePerSuite();
let node: TestApp;
let context: BrowserContext;
let userDataDir: string;

beforeEach(async () => {
  if (!chromiumPresent) return;
  userDataDir = mkdtempSync(join(tmpdir(), 'ocpi-map-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1000, height: 700 } });
});

afterEach(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await node?.close();
});

/** P6 and P7 right next to P5, so the three cluster at the zoom that fits the whole network. */
async function seedClusteredNeighbours(): Promise<void> {
  const admin = adminCall(node, '/admin/locations');
  for (const [id, offset] of [['P6', 0.0004], ['P7', 0.0008]] as const) {
    const coordinates = { latitude: (Number(PLACES.P5!.latitude) + offset).toFixed(6), longitude: PLACES.P5!.longitude };
    const body = locationBody(id, { coordinates, evses: [evseBody(`${id}-E1`, { connectors: [connectorBody('1')] })] });
    expectOcpi(await admin('put', `/${id}`).send(body), 201, 1000);
  }
}

/** Every location the map accounts for: single markers plus the counts written on the clusters. */
async function locationsOnMap(page: Page): Promise<number> {
  const singles = await page.locator('.leaflet-marker-icon.od-marker').count();
  const clusterCounts = await page.locator('.marker-cluster span').allTextContents();
  return singles + clusterCounts.reduce((sum, text) => sum + Number(text), 0);
}

describeWithChromium(`the public map page (skipped without ${CHROMIUM}: apt-get install chromium)`, () => {
  it('when opened, then markers and clusters account for exactly the published locations, popups show EVSEs and the ad-hoc price, statuses refresh in place, and nothing leaves the node or leaks', async () => {
    node = await startTestApp(db, { env: { OPEN_DATA: 'true', OPEN_DATA_RATE_LIMIT: '100000' } });
    await seedLocations(node);
    await seedClusteredNeighbours();

    const page = await context.newPage();
    const requested: string[] = [];
    const bodies: Promise<string>[] = [];
    const policyViolations: string[] = [];
    let navigations = 0;
    page.on('request', (r) => requested.push(r.url()));
    page.on('response', (r) => void bodies.push(r.status() === 200 ? r.text().catch(() => '') : Promise.resolve('')));
    page.on('console', (m) => m.text().includes('Content Security Policy') && policyViolations.push(m.text()));
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);

    const response = await page.goto(`${node.baseUrl}/map?refresh=1`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toMatch(/^default-src 'self'; img-src 'self' data:;/);
    await page.waitForFunction(() => (globalThis as any).__mapState?.features === 5);
    await page.locator('.marker-cluster').first().waitFor();
    // Clusters animate apart or together after a zoom: count once no animation runs.
    await page.waitForFunction(() => (globalThis as any).document.querySelector('.leaflet-cluster-anim') === null);

    expect(await locationsOnMap(page)).toBe(5);
    expect(await page.locator('.marker-cluster span').allTextContents()).toEqual(['3']);
    expect(await page.locator('.od-marker[title="Station P1"]').getAttribute('class')).toContain('od-available');

    await page.locator('.od-marker[title="Station P1"]').click();
    const popup = page.locator('.leaflet-popup-content');
    await expect(popup.textContent()).resolves.toContain('NL*CPO*EP1E1: AVAILABLE');
    const text = await popup.textContent();
    expect(text).toContain('NL*CPO*EP1E2: CHARGING');
    expect(text).toContain('IEC_62196_T2 AC_3_PHASE 22 kW');
    expect(text).toContain('Ad hoc: EUR 0.60/kWh + EUR 1.20 per session incl. VAT');

    // Unchanged data costs a 304; a status change turns the marker OCCUPIED and updates the open popup, without a navigation.
    await page.waitForFunction(() => (globalThis as any).__mapState.notModified >= 1);
    await setEvseStatus(node, 'P1', 'P1-E1', 'CHARGING');
    await page.locator('.od-marker.od-occupied[title="Station P1"]').waitFor();
    await expect(popup.textContent()).resolves.toContain('NL*CPO*EP1E1: CHARGING');
    expect(navigations).toBe(1);
    await page.screenshot({ path: SCREENSHOT });

    expect(requested.filter((url) => !url.startsWith(`${node.baseUrl}/`))).toEqual([]);
    const seen = [await page.content(), ...(await Promise.all(bodies))].join('\n');
    for (const secret of UNPUBLISHED) expect(seen).not.toContain(secret);
    expect(policyViolations).toEqual([]);
  }, 90000);

  it('when MAP_TILES_URL is set, then the tile host is allowed by the page policy and tiles are requested from it', async () => {
    node = await startTestApp(db, { env: { OPEN_DATA: 'true', OPEN_DATA_RATE_LIMIT: '100000', MAP_TILES_URL: 'https://{s}.tiles.example.invalid/{z}/{x}/{y}.png', MAP_TILES_ATTRIBUTION: '© Example' } });
    await seedLocations(node);
    const page = await context.newPage();
    const tiles: string[] = [];
    // Tile requests are answered here: the test never leaves the machine.
    await page.route('https://**.tiles.example.invalid/**', (route) => {
      tiles.push(route.request().url());
      return route.fulfill({ status: 204 });
    });
    const response = await page.goto(`${node.baseUrl}/`);
    expect(response!.headers()['content-security-policy']).toContain("img-src 'self' data: https://*.tiles.example.invalid;");
    await page.waitForFunction(() => (globalThis as any).__mapState?.features === 3);
    await expect(page.locator('.leaflet-control-attribution').textContent()).resolves.toContain('© Example');
    await page.locator('img.leaflet-tile').first().waitFor({ state: 'attached' });
    expect(tiles.length).toBeGreaterThan(0);
  }, 60000);
});
