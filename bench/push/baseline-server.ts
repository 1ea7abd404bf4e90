/**
 * The naive way to push, for comparison: a plain node:http server answering the same admin calls the
 * benchmark makes (GET and PATCH /admin/locations/{id}/evses/{uid} with If-Match), which writes the status
 * to PostgreSQL and then PATCHes `{status, last_updated}` to every eMSP, all in parallel, before it answers.
 * No queue, no retry, no coalescing: the admin caller waits for the slowest partner.
 *
 * Environment: DATABASE_URL, PORT, ADMIN_TOKEN, PARTNERS (JSON [{ locationsUrl, token }]),
 * COUNTRY_CODE / PARTY_ID (NL / CPO). Table: push_baseline_evses (created and filled by run.ts).
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';

const partners = JSON.parse(process.env.PARTNERS ?? '[]') as { locationsUrl: string; token: string }[];
const adminAuthorization = `Bearer ${process.env.ADMIN_TOKEN ?? ''}`;
const us = `${process.env.COUNTRY_CODE ?? 'NL'}/${process.env.PARTY_ID ?? 'CPO'}`;
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const EVSE_PATH = /^\/admin\/locations\/([^/]+)\/evses\/([^/]+)$/;

interface EvseRow {
  uid: string;
  status: string;
  last_updated: Date;
  version: number;
}

function answer(res: ServerResponse, status: number, statusCode: number, data?: unknown, etag?: number): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (etag !== undefined) headers.ETag = `"${etag}"`;
  res.writeHead(status, headers);
  res.end(JSON.stringify({ data, status_code: statusCode, timestamp: new Date().toISOString() }));
}

const evseObject = (row: EvseRow) => ({ uid: row.uid, status: row.status, last_updated: row.last_updated.toISOString() });

/** One PATCH to one eMSP's receiver; failures are only counted (the naive sender does not retry). */
function patchPartner(partner: { locationsUrl: string; token: string }, locationId: string, uid: string, body: unknown): Promise<boolean> {
  const payload = JSON.stringify(body);
  const url = `${partner.locationsUrl}/${us}/${encodeURIComponent(locationId)}/${encodeURIComponent(uid)}`;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'PATCH',
        agent,
        timeout: 10_000,
        headers: { Authorization: `Token ${Buffer.from(partner.token).toString('base64')}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve((res.statusCode ?? 0) < 300));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end(payload);
  });
}

let partnerFailures = 0;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (url === '/health') return answer(res, 200, 1000, { status: 'up', partner_failures: partnerFailures });
  if (req.headers.authorization !== adminAuthorization) return answer(res, 401, 2000);
  const match = EVSE_PATH.exec(url);
  if (!match) return answer(res, 404, 2003);
  const [locationId, uid] = [decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)];

  if (req.method === 'GET') {
    const { rows } = await pool.query<EvseRow>('SELECT uid, status, last_updated, version FROM push_baseline_evses WHERE location_id = $1 AND uid = $2', [locationId, uid]);
    return rows[0] ? answer(res, 200, 1000, evseObject(rows[0]), rows[0].version) : answer(res, 404, 2003);
  }
  if (req.method !== 'PATCH') return answer(res, 405, 2000);
  const ifMatch = /^"(\d+)"$/.exec(req.headers['if-match'] ?? '');
  if (!ifMatch) return answer(res, 428, 2000);
  const body = (await readBody(req)) as { status?: unknown };
  if (typeof body?.status !== 'string') return answer(res, 400, 2001);
  const lastUpdated = new Date();
  const { rows } = await pool.query<EvseRow>(
    `UPDATE push_baseline_evses SET status = $1, last_updated = $2, version = version + 1
     WHERE location_id = $3 AND uid = $4 AND version = $5 RETURNING uid, status, last_updated, version`,
    [body.status, lastUpdated, locationId, uid, Number(ifMatch[1])],
  );
  if (!rows[0]) return answer(res, 412, 2000);
  const row = rows[0];
  const delivered = await Promise.all(partners.map((partner) => patchPartner(partner, locationId, uid, { status: row.status, last_updated: row.last_updated.toISOString() })));
  partnerFailures += delivered.filter((ok) => !ok).length;
  answer(res, 200, 1000, evseObject(row), row.version);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: Error) => {
    process.stderr.write(`baseline: ${error.message}\n`);
    if (!res.headersSent) answer(res, 500, 3000);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
