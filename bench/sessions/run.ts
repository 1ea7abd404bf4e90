/**
 * `npm run bench:sessions [-- options]`: 1,000 ACTIVE sessions owned by three eMSPs, each PATCHed with a new
 * charging period every few seconds through the admin API; how long the admin PATCH takes and how long until the
 * owner receives the period, for the node and for a naive baseline in the same run.
 *
 * 3 fake eMSPs (test/helpers/fake-emsp.ts with a sessions RECEIVER, hosted by bench/push/emsp-runner.ts in a child
 * process, parties DE/E00, DE/E01, DE/E02) register with the node through the real credentials handshake. Then, for
 * the node and then for bench/sessions/baseline-server.ts (the same eMSPs, their sessions forgotten in between):
 *   1. the sessions are PUT through /admin/sessions/{id} (ACTIVE, one period, cdr_token of eMSP i % 3, one per
 *      connector of sessions / 10 locations PUT before through /admin/locations/{id}); wait until each owner holds its own;
 *   2. steady: each session gets a new charging period every --period-s seconds (PATCH with If-Match from the previous
 *      answer), by --clients concurrent clients, for --duration seconds;
 *   3. wait until every period reached its owner; check that each eMSP holds exactly its own sessions, each with every
 *      period exactly once.
 * Reported: admin PATCH latency p50/p99, push lag p50/p99 (the answer's `last_updated` → the first request at the
 * owner carrying that period, matched by session id and period start), requests per PATCH, the end check, CPU, and
 * what the server's PostgreSQL connections were doing. Prints a table and rewrites its section of docs/benchmarks.md.
 *
 * The node runs with tsx (`node --require tsx/cjs src/main.ts`, no build), LOG_LEVEL=warn, default settings;
 * PUSH_*, PARTNER_TIMEOUT_MS and DB_POOL_SIZE set in this script's environment are passed on.
 *
 * Options (argv, or the environment variable in brackets):
 *   --sessions <n>   [BENCH_SESSIONS]   active sessions, a multiple of 10 (1000)
 *   --period-s <s>   [BENCH_PERIOD_S]   seconds between two periods of one session (3)
 *   --duration <s>   [BENCH_DURATION]   seconds of the steady phase (30)
 *   --clients <c>    [BENCH_CLIENTS]    concurrent admin clients (32)
 *   --db <url>       [BENCH_SESSIONS_DATABASE_URL] dropped and recreated; its name must contain "bench"
 *                                       (postgresql://postgres@127.0.0.1:5432/ocpi_bench_sessions)
 *   --no-doc                            do not update docs/benchmarks.md
 *   --timeout <s>    [BENCH_TIMEOUT]    kill everything and fail after this long (600)
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { importObjects } from '../locations/import';
import { recreateDatabase } from '../locations/seed';
import { closeDefaultAgent, envelopeData, request } from '../push/http';
import type { Target } from '../push/load';
import { ADMIN_TOKEN, baseEnv, PASSED_ON, pushDefaults, registerPartners, sourceVersion, startNode, withClient } from '../push/node';
import { forkRpc, freePort, killChildren, REPO_ROOT, startServer, type RpcChild } from '../push/processes';
import { measureServer } from './phase';
import { section, updateSessionsDoc, type RunSettings, type ServerRun } from './report';
import { BENCH_TARIFF_ID, benchLocation, benchTariff, locationId, SESSIONS_PER_LOCATION } from './seed';

const EMSPS = 3;

interface Options extends RunSettings {
  db: string;
  doc: boolean;
  timeout: number;
  command: string;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'no-doc') flags.set(name, true);
    else flags.set(name, inline ?? argv[++i] ?? '');
  }
  const known = ['sessions', 'period-s', 'duration', 'clients', 'db', 'no-doc', 'timeout'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}`);
  const used: string[] = [];
  const pick = (flag: string, envName: string, fallback: string): string => {
    const value = flags.get(flag);
    if (typeof value === 'string') return value;
    if (env[envName]) {
      used.push(`${envName}=${env[envName]}`);
      return env[envName]!;
    }
    return fallback;
  };
  const number = (flag: string, envName: string, fallback: number, min: number, max: number, integer = true): number => {
    const value = Number(pick(flag, envName, String(fallback)));
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) throw new Error(`--${flag} must be ${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
    return value;
  };
  const options: Options = {
    sessions: number('sessions', 'BENCH_SESSIONS', 1000, 30, 100_000),
    emsps: EMSPS,
    periodSeconds: number('period-s', 'BENCH_PERIOD_S', 3, 0.1, 600, false),
    duration: number('duration', 'BENCH_DURATION', 30, 1, 600),
    clients: number('clients', 'BENCH_CLIENTS', 32, 1, 512),
    db: pick('db', 'BENCH_SESSIONS_DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/ocpi_bench_sessions'),
    doc: !flags.has('no-doc'),
    timeout: number('timeout', 'BENCH_TIMEOUT', 600, 30, 3600),
    command: '',
  };
  if (options.sessions % SESSIONS_PER_LOCATION !== 0) throw new Error(`--sessions must be a multiple of ${SESSIONS_PER_LOCATION} (one per connector)`);
  if (options.clients > options.sessions) throw new Error('--clients must be at most the number of sessions (each session is PATCHed by one client at a time)');
  const passed = Object.keys(env).filter((key) => PASSED_ON.test(key)).map((key) => `${key}=${env[key]}`);
  options.command = `${[...used, ...passed].map((s) => `${s} `).join('')}npm run bench:sessions${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  return options;
}

function log(message: string): void {
  process.stderr.write(`[bench:sessions ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const locationCount = (options: Options) => options.sessions / SESSIONS_PER_LOCATION;

async function runOurs(options: Options, runner: RpcChild): Promise<ServerRun> {
  const node = await startNode(options.db);
  try {
    log(`node up at ${node.baseUrl} (pid ${node.pid})`);
    envelopeData(await request('PUT', `${node.baseUrl}/admin/tariffs/${BENCH_TARIFF_ID}`, node.headers, benchTariff()), 'PUT the tariff');
    const locations = await importObjects({ baseUrl: node.baseUrl, path: (id) => `/admin/locations/${id}`, headers: node.headers, created: 201 }, 0, locationCount(options) - 1, 8, (i) => ({ id: locationId(i), body: benchLocation(i) }));
    log(`${locationCount(options)} locations PUT (${locations.perSecond.toFixed(0)}/s)`);
    await registerPartners(node, runner, EMSPS);
    log(`${EMSPS} eMSPs registered through the credentials handshake`);
    return await measureServer(node, node.pid, runner, options, options.db, log);
  } finally {
    await node.stop();
  }
}

async function runBaseline(options: Options, runner: RpcChild): Promise<ServerRun> {
  await withClient(options.db, (client) => client.query('CREATE TABLE sessions_baseline (id text PRIMARY KEY, owner text NOT NULL, data jsonb NOT NULL, last_updated timestamptz NOT NULL, version integer NOT NULL)'));
  const port = await freePort();
  const credentials = await runner.call<unknown[]>('credentials');
  const server = await startServer('baseline', 'bench/sessions/baseline-server.ts', { ...baseEnv(), DATABASE_URL: options.db, PORT: String(port), ADMIN_TOKEN, PARTNERS: JSON.stringify(credentials) }, port);
  const target: Target = { label: 'baseline', baseUrl: server.baseUrl, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };
  try {
    return await measureServer(target, server.pid, runner, options, options.db, log);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const started = Date.now();
  const deadline = setTimeout(() => {
    log(`timed out after ${options.timeout} s: killing everything`);
    killChildren();
    process.exit(2);
  }, options.timeout * 1000);
  deadline.unref();
  process.on('exit', killChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killChildren();
      process.exit(130);
    });
  }

  const load = loadavg()[0]!;
  const version = sourceVersion();
  await recreateDatabase(options.db);
  const pgVersion = await withClient(options.db, async (c) => (await c.query<{ version: string }>('SELECT version()')).rows[0]!.version.split(' on ')[0]!);
  const runner = forkRpc(path.join(REPO_ROOT, 'bench/push/emsp-runner.ts'), baseEnv());
  try {
    await runner.call('start', { count: EMSPS, sessionsReceiver: true });
    const ours = await runOurs(options, runner);
    await runner.call('clearSessions');
    const base = await runBaseline(options, runner);
    const cpu = cpus();
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const markdown = section(options.command, [
      `Run ${when} UTC on ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${pgVersion} on 127.0.0.1; the node, the baseline, PostgreSQL, the ${EMSPS} fake eMSPs (one child process) and the load generator share the machine; 1-minute load average before the run ${load.toFixed(2)} (a shared machine: the figures are noisy). The whole run took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
      `The node at commit ${version}: \`node --require tsx/cjs src/main.ts\` (tsx, no build), LOG_LEVEL=warn, DB_POOL_SIZE ${process.env.DB_POOL_SIZE ?? '10 (default)'}, push settings ${Object.keys(process.env).some((k) => k.startsWith('PUSH_')) ? 'from the environment (see the command)' : `at their defaults (${pushDefaults()})`}. ${options.sessions} sessions on ${locationCount(options)} locations (one per connector, every connector naming one tariff of a flat fee, an energy and a time price, so each write also computes the session's running total_cost), owners E00/E01/E02 in turn, each registered through the credentials handshake with a sessions RECEIVER. Load: ${options.clients} concurrent admin clients on keep-alive connections, round robin over the sessions, each PATCH \`{ kwh, charging_periods: [one new period] }\` with If-Match from the previous answer. The baseline: bench/sessions/baseline-server.ts (node:http + pg pool of 10, one UPDATE appending the period to its own table, then a PATCH to the owner before answering), the same eMSPs and the same bodies.`,
    ], options, ours, base);
    process.stdout.write(`\n${markdown}\n`);
    if (options.doc) {
      updateSessionsDoc(path.join(REPO_ROOT, 'docs/benchmarks.md'), markdown);
      log('docs/benchmarks.md updated (between the bench:sessions markers)');
    }
  } finally {
    await runner.stop();
    closeDefaultAgent();
    killChildren();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    killChildren();
    process.exit(1);
  },
);
