/**
 * `npm run bench:authorize`: `POST /admin/authorize` at 50 concurrent connections (ARCHITECTURE §2), from the
 * cache (tokens pushed with whitelist ALLOWED) and real-time (whitelist NEVER: the node asks a loopback fake
 * eMSP), and the fake eMSP's own answer time (its authorize endpoint called straight, at the same concurrency).
 * The node and the fake eMSP are bench/push's (node.ts starts the node and registers the eMSP through the
 * credentials handshake; emsp-runner.ts hosts the eMSP in a child process). Load: autocannon, as bench/locations.
 *
 * Environment: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/ocpi_bench_authorize; its name must
 * contain "bench": it is dropped and created), BENCH_REQUESTS (per phase, default 20000), BENCH_CLIENTS (default 50).
 */
import path from 'node:path';
import autocannon from 'autocannon';
import { authorizationHeader } from '../../src/ocpi/outbound';
import { recreateDatabase } from '../locations/seed';
import { envelopeData, request } from '../push/http';
import { baseEnv, registerPartners, sourceVersion, startNode } from '../push/node';
import { forkRpc, killChildren, REPO_ROOT } from '../push/processes';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ocpi_bench_authorize';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const TOKENS = 200;

const log = (message: string) => process.stderr.write(`[bench:authorize ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const tokenOf = (uid: string, whitelist: string) => ({
  country_code: 'DE', party_id: 'E00', uid, type: 'RFID', contract_id: `DE-E00-C${uid}`, issuer: 'Bench eMSP', valid: true, whitelist, last_updated: '2026-03-01T10:00:00Z',
});

interface Phase {
  label: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/** `total` POSTs of `body(i)` to `url` over `clients` keep-alive connections, each answer checked by `check`. */
async function load(label: string, url: string, headers: Record<string, string>, total: number, body: (i: number) => unknown, check: (text: string) => void): Promise<Phase> {
  let next = 0;
  let failure: Error | undefined;
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url,
    connections: CLIENTS,
    amount: total,
    timeout: 10,
    headers: { ...headers, 'content-type': 'application/json' },
    requests: [{
      method: 'POST',
      setupRequest: (req) => ({ ...req, body: JSON.stringify(body(next++)) }),
      onResponse: (status, text) => {
        try {
          check(text);
        } catch (error) {
          failure ??= new Error(`${label}: HTTP ${status}: ${(error as Error).message}`);
        }
      },
    }],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (failure) throw failure;
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) throw new Error(`${label}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  return { label, requests: result.requests.total, perSecond: result.requests.total / seconds, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max };
}

const row = (p: Phase) => `| ${p.label} | ${p.requests} | ${p.perSecond.toFixed(0)} | ${p.p50.toFixed(1)} | ${p.p99.toFixed(1)} | ${p.max.toFixed(1)} |`;

async function main(): Promise<void> {
  await recreateDatabase(DB);
  const node = await startNode(DB);
  const runner = forkRpc(path.join(REPO_ROOT, 'bench/push/emsp-runner.ts'), baseEnv());
  try {
    await runner.call('start', { count: 1 });
    await registerPartners(node, runner, 1);
    const emspToken = await runner.call<string>('nodeToken', { index: 0 });
    const [emsp] = await runner.call<{ sessionsUrl: string; token: string }[]>('credentials');
    const tokensSender = emsp!.sessionsUrl.replace(/\/sessions$/, '/tokens');
    const cached = Array.from({ length: TOKENS }, (_, i) => `CACHED-${i}`);
    const realTime = Array.from({ length: TOKENS }, (_, i) => `RT-${i}`);
    for (const [uids, whitelist] of [[cached, 'ALLOWED'], [realTime, 'NEVER']] as const) {
      for (const uid of uids) {
        envelopeData(await request('PUT', `${node.baseUrl}/ocpi/2.2.1/tokens/DE/E00/${uid}`, { Authorization: authorizationHeader(emspToken) }, tokenOf(uid, whitelist)), `PUT token ${uid}`);
      }
    }
    const answers = realTime.map((uid, i) => [uid, { info: { allowed: 'ALLOWED', token: tokenOf(uid, 'NEVER'), ...(process.env.BENCH_NO_REFERENCE ? {} : { authorization_reference: `REF-${i}` }) } }]);
    await runner.call('authorizeAnswers', { index: 0, answers });
    log(`${TOKENS} cached (ALLOWED) and ${TOKENS} real-time (NEVER) tokens pushed; ${REQUESTS} requests per phase, ${CLIENTS} connections`);

    const decidedBy = (by: string) => (text: string) => {
      const data = (JSON.parse(text) as { data?: { allowed?: string; decided_by?: string } }).data;
      if (data?.allowed !== 'ALLOWED' || data.decided_by !== by) throw new Error(`expected ALLOWED by ${by}, got ${text.slice(0, 300)}`);
    };
    const answered = (text: string) => {
      if ((JSON.parse(text) as { status_code?: number }).status_code !== 1000) throw new Error(text.slice(0, 300));
    };
    const authorize = (label: string, uids: string[], by: string, total: number) =>
      load(label, `${node.baseUrl}/admin/authorize`, node.headers, total, (i) => ({ uid: uids[i % uids.length], location_id: 'LOC-1' }), decidedBy(by));
    const alone = (label: string, total: number) =>
      load(label, `${tokensSender}/${realTime[0]}/authorize?type=RFID`, { Authorization: authorizationHeader(emsp!.token) }, total, () => ({ location_id: 'LOC-1' }), answered);

    await authorize('warm-up cache', cached, 'CACHE', 1000);
    await authorize('warm-up real-time', realTime, 'REAL_TIME', 1000);
    await alone('warm-up eMSP', 1000);
    log('warmed up');
    const phases = [
      await authorize('cache (whitelist ALLOWED)', cached, 'CACHE', REQUESTS),
      await authorize('real-time (whitelist NEVER, loopback eMSP)', realTime, 'REAL_TIME', REQUESTS),
      await alone('the eMSP alone (its authorize, called straight)', REQUESTS),
    ];
    process.stdout.write([
      `Node at ${sourceVersion()}, ${CLIENTS} connections (autocannon), ${REQUESTS} requests per row after 1000 warm-up, latency in ms:`,
      '',
      '| phase | requests | req/s | p50 | p99 | max |',
      '|---|---|---|---|---|---|',
      ...phases.map(row),
      '',
    ].join('\n'));
  } finally {
    await runner.stop();
    await node.stop();
  }
}

process.on('exit', killChildren);
main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  killChildren();
  process.exit(1);
});
