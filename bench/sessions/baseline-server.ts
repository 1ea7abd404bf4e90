/**
 * The naive way to push sessions, for comparison: a plain node:http server answering the admin calls the benchmark
 * makes (PUT, GET and PATCH /admin/sessions/{id}, PATCH with If-Match), which writes to its own table and then
 * sends the change to the session's owner (the eMSP of the cdr_token's party) from the request handler, before it
 * answers: a PUT of the whole session on creation, a PATCH of the new fields and periods on a PATCH. No validation,
 * no queue, no retry.
 *
 * Environment: DATABASE_URL, PORT, ADMIN_TOKEN, PARTNERS (JSON [{ sessionsUrl, party: "CC/PID", token }]),
 * COUNTRY_CODE / PARTY_ID (NL / CPO). Table: sessions_baseline (created by bench/sessions/run.ts).
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';

type Fields = Record<string, unknown>;

const partners = new Map((JSON.parse(process.env.PARTNERS ?? '[]') as { sessionsUrl: string; party: string; token: string }[]).map((p) => [p.party.toUpperCase(), p]));
const adminAuthorization = `Bearer ${process.env.ADMIN_TOKEN ?? ''}`;
const us = { country_code: process.env.COUNTRY_CODE ?? 'NL', party_id: process.env.PARTY_ID ?? 'CPO' };
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const SESSION_PATH = /^\/admin\/sessions\/([^/]+)$/;

interface Row {
  owner: string;
  data: Fields;
  last_updated: Date;
  version: number;
}

function answer(res: ServerResponse, status: number, statusCode: number, data?: unknown, etag?: number): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (etag !== undefined) headers.ETag = `"${etag}"`;
  res.writeHead(status, headers);
  res.end(JSON.stringify({ data, status_code: statusCode, timestamp: new Date().toISOString() }));
}

const sessionObject = (row: Row) => ({ ...us, ...row.data, last_updated: row.last_updated.toISOString() });

let partnerFailures = 0;

/** One request to the owner's receiver; failures are only counted (the naive sender does not retry). */
function send(owner: string, method: 'PUT' | 'PATCH', id: string, body: unknown): Promise<void> {
  const partner = partners.get(owner);
  if (!partner) {
    partnerFailures += 1;
    return Promise.resolve();
  }
  const payload = JSON.stringify(body);
  const url = `${partner.sessionsUrl}/${us.country_code}/${us.party_id}/${encodeURIComponent(id)}`;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method,
        agent,
        timeout: 10_000,
        headers: { Authorization: `Token ${Buffer.from(partner.token).toString('base64')}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) partnerFailures += 1;
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      partnerFailures += 1;
      resolve();
    });
    req.end(payload);
  });
}

async function readBody(req: IncomingMessage): Promise<Fields | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as Fields | undefined;
}

const ownerOf = (data: Fields) => {
  const token = data.cdr_token as { country_code?: string; party_id?: string } | undefined;
  return `${token?.country_code ?? ''}/${token?.party_id ?? ''}`.toUpperCase();
};

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (url === '/health') return answer(res, 200, 1000, { status: 'up', partner_failures: partnerFailures });
  if (req.headers.authorization !== adminAuthorization) return answer(res, 401, 2000);
  const match = SESSION_PATH.exec(url);
  if (!match) return answer(res, 404, 2003);
  const id = decodeURIComponent(match[1]!).toUpperCase();

  if (req.method === 'GET') {
    const { rows } = await pool.query<Row>('SELECT owner, data, last_updated, version FROM sessions_baseline WHERE id = $1', [id]);
    return rows[0] ? answer(res, 200, 1000, sessionObject(rows[0]), rows[0].version) : answer(res, 404, 2003);
  }
  const body = await readBody(req);
  if (!body || typeof body !== 'object') return answer(res, 400, 2001);
  const lastUpdated = new Date();

  if (req.method === 'PUT') {
    const { rows } = await pool.query<Row & { created: boolean }>(
      `INSERT INTO sessions_baseline (id, owner, data, last_updated, version) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (id) DO UPDATE SET owner = EXCLUDED.owner, data = EXCLUDED.data, last_updated = EXCLUDED.last_updated, version = sessions_baseline.version + 1
       RETURNING owner, data, last_updated, version, (xmax = 0) AS created`,
      [id, ownerOf(body), body, lastUpdated],
    );
    const row = rows[0]!;
    await send(row.owner, 'PUT', id, sessionObject(row));
    return answer(res, row.created ? 201 : 200, 1000, sessionObject(row), row.version);
  }
  if (req.method !== 'PATCH') return answer(res, 405, 2000);
  const ifMatch = /^"(\d+)"$/.exec(req.headers['if-match'] ?? '');
  if (!ifMatch) return answer(res, 428, 2000);
  const { rows } = await pool.query<Row>(
    `UPDATE sessions_baseline
     SET data = data || ($1::jsonb - 'charging_periods')
           || jsonb_build_object('charging_periods', COALESCE(data->'charging_periods', '[]'::jsonb) || COALESCE($1::jsonb->'charging_periods', '[]'::jsonb)),
         last_updated = $2, version = version + 1
     WHERE id = $3 AND version = $4 RETURNING owner, data, last_updated, version`,
    [body, lastUpdated, id, Number(ifMatch[1])],
  );
  if (!rows[0]) return answer(res, 412, 2000);
  const row = rows[0];
  await send(row.owner, 'PATCH', id, { ...body, last_updated: row.last_updated.toISOString() });
  answer(res, 200, 1000, sessionObject(row), row.version);
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
