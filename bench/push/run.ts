/**
 * `npm run bench:push [-- options]`: how fast location changes reach 10 eMSPs through the node's outbox,
 * against a naive baseline that PATCHes every eMSP from the request handler before answering.
 *
 * 10 fake eMSPs (test/helpers/fake-emsp.ts, hosted by bench/push/emsp-runner.ts in a child process) register
 * with the node through the real credentials handshake; N locations are PUT and delivered; then:
 *   1. ours, steady: EVSE status changes through the admin API at the target rate (If-Match per EVSE);
 *   2. ours, slow partners: the same for a shorter time while 3 of the 10 eMSPs answer pushes after 500 ms;
 *   3. and 4. the same two phases against bench/push/baseline-server.ts.
 * Reported per phase: changes/s accepted, admin latency p50/p99, delivery lag p50/p99 (commit = the
 * `last_updated` of the admin answer; receipt = the first request at an eMSP carrying that EVSE with a
 * last_updated at least as new), requests per change per partner. Prints a table and updates
 * docs/benchmarks.md between its own markers.
 *
 * The node runs with tsx (`node --require tsx/cjs src/main.ts`, no build), LOG_LEVEL=warn, default push
 * settings; PUSH_*, PARTNER_TIMEOUT_MS and DB_POOL_SIZE set in this script's environment are passed on.
 *
 * Options (argv, or the environment variable in brackets):
 *   --locations <n>      [BENCH_LOCATIONS]       locations, two EVSEs each (200)
 *   --rate <r>           [BENCH_RATE]            target EVSE status changes per second (200)
 *   --duration <s>       [BENCH_DURATION]        seconds of the steady phases (30)
 *   --slow-duration <s>  [BENCH_SLOW_DURATION]   seconds of the slow-partner phases (10)
 *   --clients <c>        [BENCH_CLIENTS]         concurrent admin clients (32)
 *   --db <url>           [BENCH_PUSH_DATABASE_URL] dropped and recreated; its name must contain "bench"
 *                                                (postgresql://postgres@127.0.0.1:5432/ocpi_bench_push)
 *   --no-doc                                     do not update docs/benchmarks.md
 *   --timeout <s>        [BENCH_TIMEOUT]         kill everything and fail after this long (300)
 *   --analyze-every <ms> [BENCH_ANALYZE_EVERY]   diagnosis only: run ANALYZE on the outbox table this often during
 *                                                our phases, so the claim query is planned with fresh statistics (0: never)
 */
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { locationBody } from '../../test/helpers/location-factory';
import { cpuMeter, type CpuUse } from './cpu';
import type { Collected } from './emsp-runner';
import { closeDefaultAgent, envelopeData, request } from './http';
import { loadEtags, statusChanges, type EvseSlot, type Target } from './load';
import { ADMIN_TOKEN, baseEnv, PASSED_ON, pushDefaults, registerPartners, sourceVersion, startNode, withClient } from './node';
import { forkRpc, freePort, killChildren, REPO_ROOT, startServer, type RpcChild } from './processes';
import { figures, ms, num, updateDoc, yes, type PhaseFigures } from './report';

const PARTNERS = 10;
const SLOW_PARTNERS = [0, 1, 2];
const SLOW_DELAY_MS = 500;

interface Options {
  locations: number;
  rate: number;
  duration: number;
  slowDuration: number;
  clients: number;
  db: string;
  doc: boolean;
  timeout: number;
  /** Diagnosis only: ANALYZE the outbox table this often (ms) during our phases; 0 = never (the default). */
  analyzeEvery: number;
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
  const known = ['locations', 'rate', 'duration', 'slow-duration', 'clients', 'db', 'no-doc', 'timeout', 'analyze-every'];
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
  const int = (flag: string, envName: string, fallback: number, min: number, max: number): number => {
    const value = Number(pick(flag, envName, String(fallback)));
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${flag} must be an integer in ${min}..${max}`);
    return value;
  };
  const options: Options = {
    locations: int('locations', 'BENCH_LOCATIONS', 200, 10, 100_000),
    rate: int('rate', 'BENCH_RATE', 200, 1, 10_000),
    duration: int('duration', 'BENCH_DURATION', 30, 1, 600),
    slowDuration: int('slow-duration', 'BENCH_SLOW_DURATION', 10, 1, 600),
    clients: int('clients', 'BENCH_CLIENTS', 32, 1, 512),
    db: pick('db', 'BENCH_PUSH_DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/ocpi_bench_push'),
    doc: !flags.has('no-doc'),
    timeout: int('timeout', 'BENCH_TIMEOUT', 300, 30, 3600),
    analyzeEvery: int('analyze-every', 'BENCH_ANALYZE_EVERY', 0, 0, 60_000),
    command: '',
  };
  if (options.clients > options.locations * 2) throw new Error('--clients must be at most the number of EVSEs (each EVSE is changed by one client at a time)');
  const passed = Object.keys(env).filter((key) => PASSED_ON.test(key)).map((key) => `${key}=${env[key]}`);
  options.command = `${[...used, ...passed].map((s) => `${s} `).join('')}npm run bench:push${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  return options;
}

function log(message: string): void {
  process.stderr.write(`[bench:push ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function recreateDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name) || !/bench/i.test(name)) throw new Error(`refusing to drop database "${name}": its name must contain "bench"`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function pendingOf(target: Target, partnerIds: string[]): Promise<number[]> {
  return Promise.all(
    partnerIds.map(async (id) => (envelopeData(await request('GET', `${target.baseUrl}/admin/partners/${id}`, target.headers), 'GET partner') as { deliveries: { pending: number } }).deliveries.pending),
  );
}

/** Seconds until none of `partnerIds` has a pending delivery, or undefined after `timeoutMs`. */
async function drained(target: Target, partnerIds: string[], timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  for (;;) {
    const pending = await pendingOf(target, partnerIds);
    if (pending.every((count) => count === 0)) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) {
      log(`still pending after ${timeoutMs / 1000} s: ${pending.join(', ')}`);
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const locationIds = (n: number) => Array.from({ length: n }, (_, i) => `PB${String(i + 1).padStart(5, '0')}`);
const slotsOf = (ids: string[]): EvseSlot[] => ids.flatMap((id) => [`${id}-E1`, `${id}-E2`].map((uid) => ({ locationId: id, uid, etag: '', status: '' })));
const all = Array.from({ length: PARTNERS }, (_, i) => i);
const fast = all.filter((i) => !SLOW_PARTNERS.includes(i));

interface Results {
  steadyCpu: CpuUse;
  slowCpu: CpuUse;
  steady: PhaseFigures;
  slow: PhaseFigures;
  slowAtSlow: PhaseFigures;
  drainSeconds: number | undefined;
  slowDrainSeconds: number | undefined;
  /** Deliveries still pending (all partners) when the slow phase began. */
  pendingAtSlowStart: number;
}

/** Diagnosis: keeps the outbox table's statistics fresh while our phases run (see --analyze-every). */
function analyzeLoop(options: Options): () => Promise<void> {
  if (options.analyzeEvery <= 0) return async () => undefined;
  const client = new Client({ connectionString: options.db });
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) {
      await client.query('ANALYZE deliveries');
      await new Promise((resolve) => setTimeout(resolve, options.analyzeEvery));
    }
    await client.end();
  })();
  return async () => {
    running = false;
    await done;
  };
}

async function runOurs(options: Options, runner: RpcChild, ids: string[]): Promise<Results & { seedSeconds: number }> {
  const node = await startNode(options.db);
  const stopAnalyzing = analyzeLoop(options);
  try {
    log(`node up at ${node.baseUrl} (pid ${node.pid})`);
    // Locations first, with no partner yet; then each eMSP registers and gets them all through a resync, one
    // partner at a time: a backlog of 2,000 at once is what the outbox's claim query handles badly (see the report).
    const seedStarted = Date.now();
    await inParallel(ids, 8, async (id) => envelopeData(await request('PUT', `${node.baseUrl}/admin/locations/${id}`, node.headers, locationBody(id)), `PUT ${id}`));
    const partnerIds = await registerPartners(node, runner, PARTNERS);
    for (const id of partnerIds) {
      envelopeData(await request('POST', `${node.baseUrl}/admin/partners/${id}/resync`, node.headers, { module: 'locations' }), 'POST resync');
      if ((await drained(node, [id], 60_000)) === undefined) throw new Error('a resync of the locations was not delivered within 60 s');
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    log(`${ids.length} locations PUT, then delivered to ${PARTNERS} eMSPs (a resync each) in ${seedSeconds.toFixed(1)} s`);

    const slots = slotsOf(ids);
    await loadEtags(node, slots);
    await runner.call('collect');
    log(`ours, steady: ${options.rate}/s for ${options.duration} s`);
    const pids = { server: node.pid, eMSPs: runner.pid };
    let meter = await cpuMeter(options.db, pids);
    const steadyLoad = await statusChanges(node, slots, options.rate, options.duration, options.clients);
    const drainSeconds = await drained(node, partnerIds, 30_000);
    const steadyCpu = await meter.stop();
    const steadyCollected = await runner.call<Collected>('collect');

    const pendingAtSlowStart = (await pendingOf(node, partnerIds)).reduce((a, b) => a + b, 0);
    await runner.call('delay', { indices: SLOW_PARTNERS, ms: SLOW_DELAY_MS });
    log(`ours, ${SLOW_PARTNERS.length} slow eMSPs: ${options.rate}/s for ${options.slowDuration} s`);
    meter = await cpuMeter(options.db, pids);
    const slowLoad = await statusChanges(node, slots, options.rate, options.slowDuration, options.clients);
    const slowDrainSeconds = await drained(node, fast.map((i) => partnerIds[i]!), 15_000);
    const slowCpu = await meter.stop();
    const slowCollected = await runner.call<Collected>('collect');
    await runner.call('delay', { indices: [], ms: 0 });
    return {
      seedSeconds,
      steadyCpu,
      slowCpu,
      steady: figures(steadyLoad, steadyCollected, all, options.rate),
      slow: figures(slowLoad, slowCollected, fast, options.rate),
      slowAtSlow: figures(slowLoad, slowCollected, SLOW_PARTNERS, options.rate),
      drainSeconds,
      slowDrainSeconds,
      pendingAtSlowStart,
    };
  } finally {
    await stopAnalyzing();
    await node.stop();
  }
}

async function runBaseline(options: Options, runner: RpcChild, ids: string[]): Promise<Results> {
  await withClient(options.db, async (client) => {
    await client.query('CREATE TABLE push_baseline_evses (location_id text NOT NULL, uid text PRIMARY KEY, status text NOT NULL, last_updated timestamptz NOT NULL, version integer NOT NULL)');
    const slots = slotsOf(ids);
    await client.query(
      `INSERT INTO push_baseline_evses SELECT l, u, 'AVAILABLE', now(), 1 FROM unnest($1::text[], $2::text[]) AS t(l, u)`,
      [slots.map((s) => s.locationId), slots.map((s) => s.uid)],
    );
  });
  const port = await freePort();
  const credentials = await runner.call<unknown[]>('credentials');
  const server = await startServer('baseline', 'bench/push/baseline-server.ts', {
    ...baseEnv(),
    DATABASE_URL: options.db,
    PORT: String(port),
    ADMIN_TOKEN,
    PARTNERS: JSON.stringify(credentials),
  }, port);
  const target: Target = { label: 'baseline', baseUrl: server.baseUrl, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } };
  try {
    const slots = slotsOf(ids);
    await loadEtags(target, slots);
    await runner.call('collect');
    log(`baseline, steady: ${options.rate}/s for ${options.duration} s`);
    const pids = { server: server.pid, eMSPs: runner.pid };
    let meter = await cpuMeter(options.db, pids);
    const steadyLoad = await statusChanges(target, slots, options.rate, options.duration, options.clients);
    const steadyCpu = await meter.stop();
    const steadyCollected = await runner.call<Collected>('collect');
    await runner.call('delay', { indices: SLOW_PARTNERS, ms: SLOW_DELAY_MS });
    log(`baseline, ${SLOW_PARTNERS.length} slow eMSPs: ${options.rate}/s for ${options.slowDuration} s`);
    meter = await cpuMeter(options.db, pids);
    const slowLoad = await statusChanges(target, slots, options.rate, options.slowDuration, options.clients);
    const slowCpu = await meter.stop();
    const slowCollected = await runner.call<Collected>('collect');
    await runner.call('delay', { indices: [], ms: 0 });
    return {
      steadyCpu,
      slowCpu,
      steady: figures(steadyLoad, steadyCollected, all, options.rate),
      slow: figures(slowLoad, slowCollected, fast, options.rate),
      slowAtSlow: figures(slowLoad, slowCollected, SLOW_PARTNERS, options.rate),
      drainSeconds: 0,
      slowDrainSeconds: 0,
      pendingAtSlowStart: 0,
    };
  } finally {
    await server.stop();
  }
}

const cpuCell = (use: CpuUse) => ['server', 'postgres', 'eMSPs', 'load generator'].map((role) => num(use.seconds[role] ?? Number.NaN, 1)).join(' / ');
const perChange = (use: CpuUse, phase: PhaseFigures) => (1000 * ((use.seconds.server ?? 0) + (use.seconds.postgres ?? 0))) / phase.accepted;

function table(options: Options, ours: Results, base: Results): string {
  const lagTarget = ours.steady.lagP99 < 1000 && ours.steady.missing === 0;
  const slowRatio = (r: Results) => r.slow.adminP99 / r.steady.adminP99;
  const rows: string[][] = [
    [`Steady (${options.duration} s, target ${options.rate} changes/s): changes/s accepted`, num(ours.steady.perSecond, 1), num(base.steady.perSecond, 1), `${options.rate}`, yes(ours.steady.perSecond >= options.rate * 0.95)],
    ['Steady: changes accepted / 412 conflicts / other errors', `${num(ours.steady.accepted)} / ${ours.steady.conflicts} / ${ours.steady.errors}`, `${num(base.steady.accepted)} / ${base.steady.conflicts} / ${base.steady.errors}`, '', ''],
    ['Steady: admin PATCH latency p50 / p99, ms', `${ms(ours.steady.adminP50)} / ${ms(ours.steady.adminP99)}`, `${ms(base.steady.adminP50)} / ${ms(base.steady.adminP99)}`, '', ''],
    ['Steady: delivery lag p50 / p99, ms (each change × each of 10 eMSPs)', `${ms(ours.steady.lagP50)} / ${ms(ours.steady.lagP99)}`, `${ms(base.steady.lagP50)} / ${ms(base.steady.lagP99)}`, 'p99 < 1,000 ms', yes(lagTarget)],
    ['Steady: delivery lag max, ms / (change, eMSP) pairs never delivered', `${ms(ours.steady.lagMax)} / ${ours.steady.missing}`, `${ms(base.steady.lagMax)} / ${base.steady.missing}`, 'none missing', yes(ours.steady.missing === 0)],
    ['Steady: requests received per change per eMSP', num(ours.steady.requestsPerChange, 2), num(base.steady.requestsPerChange, 2), '', ''],
    ['Steady: EVSE states received out of order (older after newer)', String(ours.steady.backwards), String(base.steady.backwards), '0', yes(ours.steady.backwards === 0)],
    ['Steady: CPU s, server / PostgreSQL (bench database) / eMSPs / load generator (load + drain)', cpuCell(ours.steadyCpu), cpuCell(base.steadyCpu), '', ''],
    ['Steady: server + PostgreSQL CPU per accepted change, ms', num(perChange(ours.steadyCpu, ours.steady), 1), num(perChange(base.steadyCpu, base.steady), 1), '', ''],
    ['Steady: all cores busy (everything on the machine), %', num(ours.steadyCpu.machineBusy), num(base.steadyCpu.machineBusy), '', ''],
    ['Steady: queue empty after the load stopped, s', ours.drainSeconds === undefined ? '> 30' : num(ours.drainSeconds, 1), 'n/a', '', ''],
    ['Slow: deliveries still pending (all eMSPs) when the phase began', num(ours.pendingAtSlowStart), 'n/a', '', ''],
    [`Slow (3 of 10 eMSPs answer after ${SLOW_DELAY_MS} ms, ${options.slowDuration} s): changes/s accepted`, num(ours.slow.perSecond, 1), num(base.slow.perSecond, 1), `${options.rate}`, yes(ours.slow.perSecond >= options.rate * 0.95)],
    ['Slow: admin PATCH latency p50 / p99, ms', `${ms(ours.slow.adminP50)} / ${ms(ours.slow.adminP99)}`, `${ms(base.slow.adminP50)} / ${ms(base.slow.adminP99)}`, '', ''],
    ['Slow: admin p99 slow / steady', num(slowRatio(ours), 2), num(slowRatio(base), 2), 'unaffected: ≤ 1.5', yes(slowRatio(ours) <= 1.5)],
    ['Slow: delivery lag at the 7 fast eMSPs p50 / p99, ms', `${ms(ours.slow.lagP50)} / ${ms(ours.slow.lagP99)}`, `${ms(base.slow.lagP50)} / ${ms(base.slow.lagP99)}`, '', ''],
    ['Slow: delivery lag at the 3 slow eMSPs p50 / p99, ms (pairs not yet delivered when the 7 fast eMSPs had drained and the node was stopped)', `${ms(ours.slowAtSlow.lagP50)} / ${ms(ours.slowAtSlow.lagP99)} (${ours.slowAtSlow.missing})`, `${ms(base.slowAtSlow.lagP50)} / ${ms(base.slowAtSlow.lagP99)} (${base.slowAtSlow.missing})`, '', ''],
    ['Slow: requests received per change per slow eMSP', num(ours.slowAtSlow.requestsPerChange, 2), num(base.slowAtSlow.requestsPerChange, 2), '', ''],
  ];
  return ['| Metric | Ours | Baseline | Target | Met? |', '|---|---:|---:|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
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
  process.on('SIGINT', () => {
    killChildren();
    process.exit(130);
  });

  const load = loadavg()[0]!;
  const version = sourceVersion();
  await recreateDatabase(options.db);
  const pgVersion = await withClient(options.db, async (c) => (await c.query<{ version: string }>('SELECT version()')).rows[0]!.version.split(' on ')[0]!);
  const runner = forkRpc(path.join(REPO_ROOT, 'bench/push/emsp-runner.ts'), baseEnv());
  try {
    await runner.call('start', { count: PARTNERS });
    const ids = locationIds(options.locations);
    const ours = await runOurs(options, runner, ids);
    const base = await runBaseline(options, runner, ids);
    const seconds = (Date.now() - started) / 1000;
    const cpu = cpus();
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section = [
      `Command: \`${options.command}\``,
      '',
      `Run ${when} UTC on ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${pgVersion} on 127.0.0.1; the node, the baseline, PostgreSQL, the 10 fake eMSPs (one child process) and the load generator share the machine; 1-minute load average before the run ${load.toFixed(2)} (a shared machine: the figures are noisy). The whole run took ${seconds.toFixed(0)} s.`,
      '',
      `The node at commit ${version}: \`node --require tsx/cjs src/main.ts\` (tsx, no build), LOG_LEVEL=warn, DB_POOL_SIZE ${process.env.DB_POOL_SIZE ?? '10 (default)'}, push settings ${Object.keys(process.env).some((k) => k.startsWith('PUSH_')) ? 'from the environment (see the command)' : `at their defaults (${pushDefaults()})`}. ${options.locations} locations (${options.locations * 2} EVSEs) PUT first, then the 10 eMSPs registered (credentials handshake) and got them through a resync each, one after the other (${ours.seedSeconds.toFixed(1)} s). Load: ${options.clients} concurrent admin clients on keep-alive connections, round robin over the EVSEs, If-Match from the previous answer, AVAILABLE and CHARGING alternating. The baseline: bench/push/baseline-server.ts (node:http + pg pool of 10, one UPDATE, then a PATCH to all 10 eMSPs in parallel before answering).`,
      '',
      table(options, ours, base),
    ].join('\n');
    process.stdout.write(`\n${section}\n`);
    if (options.doc) {
      updateDoc(path.join(REPO_ROOT, 'docs/benchmarks.md'), section);
      log('docs/benchmarks.md updated (between the bench:push markers)');
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
