import { get, type IncomingMessage } from 'node:http';
import { check } from '@placemarkio/check-geojson';
import type { OpenDataService } from '../../../src/open-data/open-data.service';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { FEED, seedLocations } from './open-data-api';

/** Issue 13 item 3: the feed streams page by page, so a large network never sits in memory as one document. */

const db = databasePerSuite();
let node: TestApp;

afterEach(async () => {
  await node.close();
});

const BULK = 3000;

/** BULK published copies of P1 (each with P1's first EVSE under a new uid), inserted by SQL: the admin API would take minutes. */
async function insertBulkLocations(): Promise<void> {
  await db.prisma.$executeRawUnsafe(`
    WITH l AS (
      INSERT INTO locations (country_code, party_id, id, id_key, publish, data, last_updated, row_version)
      SELECT t.country_code, t.party_id, 'BULK' || g, 'BULK' || g, true, t.data || jsonb_build_object('id', 'BULK' || g), t.last_updated, 1
      FROM locations t, generate_series(1, ${BULK}) AS g WHERE t.id_key = 'P1' RETURNING pk, id)
    INSERT INTO evses (location_pk, uid, uid_key, status, data, last_updated, row_version)
    SELECT l.pk, l.id || '-E1', l.id || '-E1', e.status, e.data || jsonb_build_object('uid', l.id || '-E1'), e.last_updated, 1
    FROM l, evses e WHERE e.uid_key = 'P1-E1'`);
}

/** The feed's pages as the service reads them, with `beforePage(n)` awaited before page n is handed to the writer. */
function observedPages(service: OpenDataService, beforePage: (n: number) => Promise<void>): OpenDataService {
  return {
    ...service,
    async *featurePages() {
      let n = 0;
      for await (const page of service.featurePages()) {
        await beforePage(++n);
        yield page;
      }
    },
  };
}

/** Fails instead of hanging when `promise` never settles (a guard, not a timing assertion). */
function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(what)), 15000)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

interface Received {
  response: IncomingMessage;
  chunks: number;
  text: string;
  complete: boolean;
}

/** GETs the feed over a plain socket, reporting each chunk as it arrives. */
function readFeed(onChunk: (textSoFar: string) => void = () => {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    get(`${node.baseUrl}${FEED}`, { agent: false }, (response) => {
      const received: Received = { response, chunks: 0, text: '', complete: false };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        received.chunks++;
        received.text += chunk;
        onChunk(received.text);
      });
      response.on('error', () => {});
      response.on('close', () => resolve({ ...received, complete: response.complete }));
    }).on('error', reject);
  });
}

describe('the GeoJSON feed with thousands of locations', () => {
  it('when the feed is read, then the client holds Features before the second page is read, and the whole valid collection arrives in many chunks', async () => {
    let clientHasFeatures!: () => void;
    const firstFeatures = new Promise<void>((resolve) => (clientHasFeatures = resolve));
    let pages = 0;
    const beforePage = async (n: number) => {
      pages = n;
      if (n === 2) await bounded(firstFeatures, 'the client had received no Feature when the second page was read: the feed is not streamed');
    };
    node = await startTestApp(db, { env: { OPEN_DATA: 'true' }, mapDeps: (deps) => ({ ...deps, openData: observedPages(deps.openData, beforePage) }) });
    await seedLocations(node);
    await insertBulkLocations();

    const received = await readFeed((text) => text.includes('"type":"Feature"') && clientHasFeatures());
    expect(received.response.statusCode).toBe(200);
    expect(received.complete).toBe(true);
    const collection = check(received.text) as unknown as { features: { id: string }[] };
    expect(collection.features).toHaveLength(3 + BULK);
    expect(new Set(collection.features.map((f) => f.id)).size).toBe(3 + BULK);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil((3 + BULK) / 500));
    expect(received.chunks).toBeGreaterThan(pages);
  });

  it('when reading a page fails mid-stream, then the response is cut off (never a complete document) and the failure is logged', async () => {
    const beforePage = async (n: number) => {
      if (n === 2) throw new Error('database went away');
    };
    node = await startTestApp(db, { env: { OPEN_DATA: 'true' }, mapDeps: (deps) => ({ ...deps, openData: observedPages(deps.openData, beforePage) }) });
    await seedLocations(node);
    await insertBulkLocations();

    const received = await readFeed();
    expect(received.response.statusCode).toBe(200);
    expect(received.complete).toBe(false);
    expect(() => JSON.parse(received.text)).toThrow();
    expect(node.logLines.some((line) => line.includes('failed mid-stream') && line.includes('database went away'))).toBe(true);
  });
});
