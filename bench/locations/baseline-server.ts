/**
 * The baseline the locations benchmark compares the node with: `node:http` + a `pg` pool and hand-written
 * SQL, answering the same URLs from the same tables with the same envelope and paging headers.
 *
 * Deliberately minimal: no authentication, no Express, no validation beyond what the URLs need, named
 * (prepared) statements, and the JSON is built by PostgreSQL (`jsonb_agg`) and sent on as text without being
 * parsed in Node.
 * It serves what a partner sees (every location, published or not), like the node does for a token holder.
 *
 * It also takes the operator's import (`PUT /import/locations/{id}`, one transaction per tree) into a database
 * of its own (IMPORT_DATABASE_URL), the baseline of the node's admin API creations.
 *
 * Tariffs (bench/tariffs) the same way: the list at /ocpi/2.2.1/tariffs (same paging, same JSON as the node's:
 * the stored text with `last_updated` appended), and `PUT /import/tariffs/{id}` (one INSERT).
 *
 * Environment: DATABASE_URL, IMPORT_DATABASE_URL, PORT, PUBLIC_URL, DB_POOL_SIZE (10), MAX_PAGE_SIZE (100),
 * OCPI_COUNTRY_CODE (NL), OCPI_PARTY_ID (CPO). Run as its own process (see run.ts), stopped by SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import {
  SQL_INSERT_CONNECTORS, SQL_INSERT_EVSES, SQL_INSERT_LOCATION, SQL_INSERT_TARIFF, SQL_PAGE, SQL_PK_AT, SQL_SINGLE, SQL_TARIFF_PAGE, SQL_TARIFF_PK_AT,
} from './baseline-sql';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const port = Number(process.env.PORT ?? 3100);
const publicUrl = (process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
const poolSize = Number(process.env.DB_POOL_SIZE ?? 10);
const maxPageSize = Number(process.env.MAX_PAGE_SIZE ?? 100);
const countryCode = process.env.OCPI_COUNTRY_CODE ?? 'NL';
const partyId = process.env.OCPI_PARTY_ID ?? 'CPO';

const LOCATIONS_PATH = '/ocpi/2.2.1/locations';
const TARIFFS_PATH = '/ocpi/2.2.1/tariffs';

/** A paginated list: its endpoint's public URL (for `Link`) and its two named statements. */
interface Listed {
  endpointUrl: string;
  page: { name: string; text: string };
  pkAt: { name: string; text: string };
}

const LOCATIONS: Listed = { endpointUrl: `${publicUrl}${LOCATIONS_PATH}`, page: { name: 'page', text: SQL_PAGE }, pkAt: { name: 'pk_at', text: SQL_PK_AT } };
const TARIFFS: Listed = { endpointUrl: `${publicUrl}${TARIFFS_PATH}`, page: { name: 'tariff_page', text: SQL_TARIFF_PAGE }, pkAt: { name: 'tariff_pk_at', text: SQL_TARIFF_PK_AT } };
// JIT off, as the node runs: on a fresh import's stale statistics a page would otherwise spend most of its time compiling.
const sessionOptions = (url: string) => `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c jit=off')}`;
const pool = new Pool({ connectionString: sessionOptions(databaseUrl), max: poolSize });
const importPool = process.env.IMPORT_DATABASE_URL ? new Pool({ connectionString: sessionOptions(process.env.IMPORT_DATABASE_URL), max: poolSize }) : undefined;

const MAX_PK = '9223372036854775807';

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Request-ID': randomUUID(),
    'OCPI-from-country-code': countryCode,
    'OCPI-from-party-id': partyId,
    ...headers,
  });
  res.end(body);
}

const envelope = (dataJson: string | undefined, statusCode: number, message?: string): string =>
  `{${dataJson === undefined ? '' : `"data":${dataJson},`}"status_code":${statusCode},${
    message === undefined ? '' : `"status_message":${JSON.stringify(message)},`
  }"timestamp":"${new Date().toISOString()}"}`;

function decodeCursor(cursor: string | null, offset: number): string | undefined {
  if (!cursor || !/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    return decoded.o === offset && typeof decoded.k === 'string' && /^[0-9]{1,19}$/.test(decoded.k) ? decoded.k : undefined;
  } catch {
    return undefined;
  }
}

const encodeCursor = (offset: number, key: string): string => Buffer.from(JSON.stringify({ o: offset, k: key }), 'utf8').toString('base64url');

function nonNegativeInt(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^[0-9]{1,9}$/.test(value) ? Number(value) : undefined;
}

async function list(listed: Listed, url: URL, res: ServerResponse): Promise<void> {
  const offset = nonNegativeInt(url.searchParams.get('offset'), 0);
  const requested = nonNegativeInt(url.searchParams.get('limit'), maxPageSize);
  if (offset === undefined || requested === undefined || requested < 1) {
    send(res, 400, envelope(undefined, 2001, 'Invalid query'));
    return;
  }
  const limit = Math.min(requested, maxPageSize);
  let after = decodeCursor(url.searchParams.get('cursor'), offset);
  if (after === undefined) {
    after = '0';
    if (offset > 0) {
      const { rows } = await pool.query<{ key: string }>({ ...listed.pkAt, values: [offset - 1] });
      after = rows[0]?.key ?? MAX_PK;
    }
  }
  const { rows } = await pool.query<{ total: number; items: string; count: number; last_key: string | null }>({ ...listed.page, values: [after, limit] });
  const page = rows[0]!;
  const headers: Record<string, string> = { 'X-Total-Count': String(page.total), 'X-Limit': String(maxPageSize) };
  const nextOffset = offset + page.count;
  if (page.count > 0 && nextOffset < page.total && page.last_key !== null) {
    const params = new URLSearchParams({ offset: String(nextOffset), limit: String(limit), cursor: encodeCursor(nextOffset, page.last_key) });
    headers.Link = `<${listed.endpointUrl}?${params.toString()}>; rel="next"`;
  }
  send(res, 200, envelope(`[${page.items}]`, 1000), headers);
}

async function single(rawId: string, res: ServerResponse): Promise<void> {
  const id = decodeURIComponent(rawId);
  const { rows } = await pool.query<{ row_version: number; json: string }>({ name: 'single', text: SQL_SINGLE, values: [countryCode, partyId, id.toUpperCase()] });
  const row = rows[0];
  if (!row) {
    send(res, 404, envelope(undefined, 2003, `Unknown location ${id}`));
    return;
  }
  send(res, 200, envelope(row.json, 1000), { ETag: `"${row.row_version}"` });
}

interface TreeBody {
  publish: boolean;
  evses: { uid: string; connectors: Record<string, unknown>[] }[];
}

async function importTree(rawId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { evses, ...location } = await readJson<TreeBody>(req);
  const client = await importPool!.connect();
  try {
    await client.query('BEGIN');
    const data = { ...location, country_code: countryCode, party_id: partyId };
    const { rows: [row] } = await client.query<{ pk: string }>({ name: 'loc', text: SQL_INSERT_LOCATION, values: [countryCode, partyId, decodeURIComponent(rawId), location.publish, data] });
    const { rows: stored } = await client.query<{ pk: string; uid: string }>({ name: 'evses', text: SQL_INSERT_EVSES, values: [row!.pk, JSON.stringify(evses)] });
    const pkOf = new Map(stored.map((e) => [e.uid, e.pk]));
    const connectors = evses.flatMap((e) => e.connectors.map((c) => ({ ...c, evse_pk: pkOf.get(e.uid) })));
    await client.query({ name: 'connectors', text: SQL_INSERT_CONNECTORS, values: [JSON.stringify(connectors)] });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  send(res, 201, envelope(undefined, 1000));
}

async function readJson<T>(req: IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

/** One tariff as the operator's import sends it: stored with our owner first, like the node stores it. */
async function importTariff(rawId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const data = { country_code: countryCode, party_id: partyId, ...(await readJson<Record<string, unknown>>(req)) };
  await importPool!.query({ name: 'tariff', text: SQL_INSERT_TARIFF, values: [countryCode, partyId, decodeURIComponent(rawId), JSON.stringify(data)] });
  send(res, 201, envelope(undefined, 1000));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://baseline');
  const importing = /^\/import\/(locations|tariffs)\/([^/]{1,108})$/.exec(url.pathname);
  if (req.method === 'PUT' && importing && importPool) return (importing[1] === 'tariffs' ? importTariff : importTree)(importing[2]!, req, res);
  if (req.method !== 'GET') return send(res, 405, envelope(undefined, 2000, 'Method not allowed'), { Allow: 'GET' });
  if (url.pathname === '/health') return send(res, 200, envelope('{"status":"up"}', 1000));
  if (url.pathname === LOCATIONS_PATH || url.pathname === `${LOCATIONS_PATH}/`) return list(LOCATIONS, url, res);
  if (url.pathname === TARIFFS_PATH || url.pathname === `${TARIFFS_PATH}/`) return list(TARIFFS, url, res);
  const match = /^\/ocpi\/2\.2\.1\/locations\/([^/]{1,108})$/.exec(url.pathname);
  if (match) return single(match[1]!, res);
  send(res, 404, envelope(undefined, 2000, 'Not found'));
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: Error) => {
    process.stderr.write(`baseline: ${error.stack ?? error.message}\n`);
    if (!res.headersSent) send(res, 500, envelope(undefined, 3000, 'Server error'));
    else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');

function stop(): void {
  server.close(() => {
    Promise.all([pool.end(), importPool?.end()]).finally(() => process.exit(0));
  });
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
