/**
 * `npm run bench:locations [-- --n 100000]`: the Locations sender interface of the node against a minimal
 * node:http + pg baseline serving the same URLs from the same tables (bench/locations/baseline-server.ts).
 *
 * Seeds N locations (2 EVSEs of 2 connectors each) into a freshly created database, starts both servers as
 * child processes, checks that what they serve is valid and identical, then measures, alternating the two:
 * (a) a full sync following Link headers, (b) single GETs at 50 connections, (c) the page cost at offset 0
 * and at 90% of N, (d) each server's peak RSS. Prints a markdown table and updates docs/benchmarks.md.
 *
 * Options (argv, or the environment variable in brackets):
 *   --n <count>            [N]                    locations to seed (10000)
 *   --db <url>             [BENCH_DATABASE_URL]   database to drop and recreate; its name must contain "bench"
 *                                                 (postgresql://postgres@127.0.0.1:5432/ocpi_bench)
 *   --duration <s>         [BENCH_DURATION]       seconds per single-GET load phase (10)
 *   --connections <c>      [BENCH_CONNECTIONS]    concurrent connections for single GETs (50)
 *   --rounds <r>           [BENCH_ROUNDS]         single-GET load phases per server, alternating (2)
 *   --sync-runs <r>        [BENCH_SYNC_RUNS]      full syncs per server, alternating (3; 2 above 50,000 locations,
 *                                                 to keep a 100,000-location run near 5 minutes)
 *   --samples <s>          [BENCH_SAMPLES]        sequential requests per page-cost median (30)
 *   --page-size <p>        [BENCH_PAGE_SIZE]      limit of the sync and MAX_PAGE_SIZE of both servers (100)
 *   --log-level <level>    [BENCH_LOG_LEVEL]      the node's LOG_LEVEL (warn: info writes an access log line per request)
 *   --cpu-prof <dir>                              run the node with --cpu-prof, profiles written to <dir> at its exit
 *   --no-build                                    use dist/ as it is instead of running `npm run build`
 *   --no-doc                                      do not update docs/benchmarks.md
 *   --timeout <s>          [BENCH_TIMEOUT]        kill everything and fail after this long (900)
 */
import { readFileSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import ts from 'typescript';
import { Client } from 'pg';
import { Location, locationRuleViolations } from '../../src/modules/locations/locations.schema';
import { problemsWith } from '../../src/ocpi/validate';
import { closeConnections, get } from './http';
import { cursorFor, fullSync, LOCATIONS_PATH, median, pageCost, parseEnvelope, singleGets, type LoadResult, type PageCost, type SyncResult, type Target } from './measure';
import { cpuMsOf, freePort, killChildren, memoryOf, runCommand, startChild, type Child, type Memory } from './processes';
import { fixed, table, thousands, updateDoc, verdict, type Row } from './report';
import { locationId, pkAt, recreateDatabase, seed } from './seed';

const REPO_ROOT = path.resolve(__dirname, '../..');
const DOC = path.join(REPO_ROOT, 'docs/benchmarks.md');

interface Options {
  n: number;
  db: string;
  duration: number;
  connections: number;
  rounds: number;
  syncRuns: number;
  samples: number;
  pageSize: number;
  logLevel: string;
  cpuProf: string | undefined;
  build: boolean;
  doc: boolean;
  timeout: number;
  /** How the run was asked for, for the report. */
  command: string;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'no-build' || name === 'no-doc') flags.set(name, true);
    else if (inline !== undefined) flags.set(name, inline);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]!);
    else throw new Error(`--${name} needs a value`);
  }
  const known = ['n', 'db', 'duration', 'connections', 'rounds', 'sync-runs', 'samples', 'page-size', 'log-level', 'cpu-prof', 'no-build', 'no-doc', 'timeout'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name}`);
  const envPrefix: string[] = [];
  const pick = (flag: string, envName: string, fallback: string): string => {
    const fromFlag = flags.get(flag);
    if (typeof fromFlag === 'string') return fromFlag;
    const fromEnv = env[envName];
    if (fromEnv) {
      envPrefix.push(`${envName}=${fromEnv}`);
      return fromEnv;
    }
    return fallback;
  };
  const int = (flag: string, envName: string, fallback: number, min: number, max: number): number => {
    const value = Number(pick(flag, envName, String(fallback)));
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${flag} must be an integer in ${min}..${max}`);
    return value;
  };
  const n = int('n', 'N', 10_000, 10, 2_000_000);
  const options: Options = {
    n,
    db: pick('db', 'BENCH_DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/ocpi_bench'),
    duration: int('duration', 'BENCH_DURATION', 10, 1, 300),
    connections: int('connections', 'BENCH_CONNECTIONS', 50, 1, 1000),
    rounds: int('rounds', 'BENCH_ROUNDS', 2, 1, 20),
    syncRuns: int('sync-runs', 'BENCH_SYNC_RUNS', n > 50_000 ? 2 : 3, 1, 20),
    samples: int('samples', 'BENCH_SAMPLES', 30, 5, 1000),
    pageSize: int('page-size', 'BENCH_PAGE_SIZE', 100, 1, 1000),
    logLevel: pick('log-level', 'BENCH_LOG_LEVEL', 'warn'),
    cpuProf: typeof flags.get('cpu-prof') === 'string' ? path.resolve(flags.get('cpu-prof') as string) : undefined,
    build: !flags.has('no-build'),
    doc: !flags.has('no-doc'),
    timeout: int('timeout', 'BENCH_TIMEOUT', 900, 10, 7200),
    command: '',
  };
  options.command = `${envPrefix.length > 0 ? `${envPrefix.join(' ')} ` : ''}npm run bench:locations${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  return options;
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** The baseline runs as plain JavaScript (no tsx loader in its process, so its RSS is its own). */
function transpileBaseline(): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocpi-bench-baseline-'));
  for (const name of ['baseline-server', 'baseline-sql']) {
    const source = readFileSync(path.join(__dirname, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    writeFileSync(path.join(dir, `${name}.js`), outputText);
  }
  return { file: path.join(dir, 'baseline-server.js'), dir };
}

const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? tmpdir(),
  NODE_ENV: 'production',
});

async function startOurs(options: Options): Promise<Child> {
  const port = await freePort();
  const args = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [];
  return startChild({
    name: 'node',
    args: [...args, 'dist/src/main.js'],
    cwd: REPO_ROOT,
    port,
    env: {
      ...baseEnv(),
      DATABASE_URL: options.db,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      LOG_LEVEL: options.logLevel,
      MAX_PAGE_SIZE: String(options.pageSize),
      DB_POOL_SIZE: '10',
      OPEN_DATA_RATE_LIMIT: '1000000',
    },
  });
}

async function startBaseline(options: Options, file: string): Promise<Child> {
  const port = await freePort();
  return startChild({
    name: 'baseline',
    args: [file],
    cwd: REPO_ROOT,
    port,
    env: {
      ...baseEnv(),
      NODE_PATH: path.join(REPO_ROOT, 'node_modules'),
      DATABASE_URL: options.db,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MAX_PAGE_SIZE: String(options.pageSize),
      DB_POOL_SIZE: '10',
    },
  });
}

async function fetchData(target: Target, pathAndQuery: string): Promise<{ data: unknown; headers: Record<string, unknown>; bytes: number }> {
  const reply = await get(`${target.baseUrl}${pathAndQuery}`, target.headers);
  if (reply.status !== 200) throw new Error(`${target.label}: GET ${pathAndQuery} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  return { data: parseEnvelope(reply.body, `${target.label} ${pathAndQuery}`).data, headers: reply.headers, bytes: Buffer.byteLength(reply.body) };
}

/**
 * The seeded data is what the node would serve (valid OCPI Locations), and the baseline answers the same:
 * a sample of single locations, the first page and the page at 90% (plain offset and cursor) must be equal.
 */
async function verify(ours: Target, baseline: Target, n: number, farOffset: number, farCursor: string, pageSize: number): Promise<{ oursBytes: number; baselineBytes: number }> {
  const ids = new Set([1, 2, n - 1, n]);
  while (ids.size < Math.min(n, 100)) ids.add(1 + Math.floor(Math.random() * n));
  let oursBytes = 0;
  let baselineBytes = 0;
  for (const i of ids) {
    const p = `${LOCATIONS_PATH}/${locationId(i)}`;
    const [a, b] = await Promise.all([fetchData(ours, p), fetchData(baseline, p)]);
    const problems = [...problemsWith(Location, a.data), ...locationRuleViolations(a.data as Record<string, unknown>)];
    if (problems.length > 0) throw new Error(`the node serves an invalid Location ${locationId(i)}: ${problems.join('; ')}`);
    if (!isDeepStrictEqual(a.data, b.data)) {
      throw new Error(`ours and the baseline differ for ${locationId(i)}:\nours     ${JSON.stringify(a.data)}\nbaseline ${JSON.stringify(b.data)}`);
    }
    oursBytes += a.bytes;
    baselineBytes += b.bytes;
  }
  const pages = [
    `${LOCATIONS_PATH}?limit=${pageSize}`,
    `${LOCATIONS_PATH}?offset=${farOffset}&limit=${pageSize}`,
    `${LOCATIONS_PATH}?offset=${farOffset}&limit=${pageSize}&cursor=${farCursor}`,
  ];
  let reference: unknown;
  for (const p of pages) {
    const [a, b] = await Promise.all([fetchData(ours, p), fetchData(baseline, p)]);
    const items = a.data as unknown[];
    if (items.length !== Math.min(pageSize, n - (p.includes('offset=') ? farOffset : 0))) throw new Error(`ours: ${p} returned ${items.length} items`);
    for (const item of items) {
      const problems = problemsWith(Location, item);
      if (problems.length > 0) throw new Error(`the node serves an invalid Location in ${p}: ${problems.join('; ')}`);
    }
    if (!isDeepStrictEqual(a.data, b.data)) {
      const ids = (data: unknown) => (data as { id: string }[]).map((item) => item.id);
      const [x, y] = [ids(a.data), ids(b.data)];
      throw new Error(`ours and the baseline differ for ${p}: ours ${x.length} items ${x[0]}..${x.at(-1)}, baseline ${y.length} items ${y[0]}..${y.at(-1)}`);
    }
    if (a.headers['x-total-count'] !== String(n) || b.headers['x-total-count'] !== String(n)) throw new Error(`X-Total-Count differs from ${n} for ${p}`);
    if (p.includes('offset=')) {
      if (reference !== undefined && !isDeepStrictEqual(reference, a.data)) throw new Error('ours: the cursor page differs from the plain offset page');
      reference = a.data;
    }
  }
  return { oursBytes: oursBytes / ids.size, baselineBytes: baselineBytes / ids.size };
}

interface CpuSnapshot {
  serverMs: number;
  backends: Map<number, number>;
}

interface CpuUse {
  /** CPU time of the server process, ms. */
  serverMs: number;
  /** CPU time of the PostgreSQL backends serving the benchmark database, ms. */
  dbMs: number;
}

/** CPU accounting from /proc: the server process, and every PostgreSQL backend connected to the benchmark database. */
async function cpuSnapshot(monitor: Client, serverPid: number): Promise<CpuSnapshot> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return { serverMs: cpuMsOf(serverPid), backends: new Map(rows.map((r) => [r.pid, cpuMsOf(r.pid)])) };
}

async function cpuSince(monitor: Client, serverPid: number, before: CpuSnapshot): Promise<CpuUse> {
  const after = await cpuSnapshot(monitor, serverPid);
  let dbMs = 0;
  for (const [pid, ms] of after.backends) dbMs += ms - (before.backends.get(pid) ?? 0);
  return { serverMs: after.serverMs - before.serverMs, dbMs };
}

interface Results {
  seedSeconds: number;
  syncCpu: Record<Target['label'], CpuUse[]>;
  loadCpu: Record<Target['label'], CpuUse[]>;
  sync: Record<Target['label'], SyncResult[]>;
  load: Record<Target['label'], LoadResult[]>;
  plain: Record<Target['label'], PageCost>;
  cursor: Record<Target['label'], PageCost>;
  memory: Record<Target['label'], Memory>;
  idleMemory: Record<Target['label'], Memory>;
  /** Peak RSS (MB) after start-up and after each phase: shows which phase raised it. */
  peaks: Record<Target['label'], number[]>;
  singleBytes: Record<Target['label'], number>;
  farOffset: number;
}

/** CPU time per unit of work (page, request), median over the runs; from /proc, 10 ms ticks. */
function cpuRow(metric: string, cpu: Record<Target['label'], CpuUse[]>, units: (label: Target['label']) => number[], field: keyof CpuUse): Row {
  const per = (label: Target['label']) => median(cpu[label].map((use, i) => use[field] / units(label)[i]!));
  const [a, b] = [per('ours'), per('baseline')];
  return { metric, ours: fixed(a, 2), baseline: fixed(b, 2), ratio: fixed(a / b, 2), target: '', met: '' };
}

function rows(results: Results, options: Options): Row[] {
  const at100k = options.n >= 100_000;
  const syncOurs = median(results.sync.ours.map((s) => s.locationsPerSecond));
  const syncBase = median(results.sync.baseline.map((s) => s.locationsPerSecond));
  const rpsOurs = median(results.load.ours.map((l) => l.requestsPerSecond));
  const rpsBase = median(results.load.baseline.map((l) => l.requestsPerSecond));
  const p50Ours = median(results.load.ours.map((l) => l.p50));
  const p50Base = median(results.load.baseline.map((l) => l.p50));
  const p99Ours = median(results.load.ours.map((l) => l.p99));
  const p99Base = median(results.load.baseline.map((l) => l.p99));
  const ratio = (a: number, b: number) => fixed(a / b, 2);
  const pct = `${Math.round((results.farOffset / options.n) * 100)}%`;
  const { plain, cursor, memory } = results;
  return [
    {
      metric: `(a) Full sync following Link, limit=${options.pageSize}: locations/s (median of ${options.syncRuns})`,
      ours: thousands(syncOurs), baseline: thousands(syncBase), ratio: ratio(syncOurs, syncBase),
      target: '≥ 0.50 of baseline', met: verdict(syncOurs / syncBase >= 0.5),
    },
    {
      metric: '(a) Full sync: seconds (median)',
      ours: fixed(median(results.sync.ours.map((s) => s.seconds)), 2), baseline: fixed(median(results.sync.baseline.map((s) => s.seconds)), 2),
      ratio: ratio(median(results.sync.ours.map((s) => s.seconds)), median(results.sync.baseline.map((s) => s.seconds))), target: '', met: '',
    },
    cpuRow('(a) Full sync: server CPU per page, ms', results.syncCpu, (l) => results.sync[l].map((r) => r.pages), 'serverMs'),
    cpuRow('(a) Full sync: PostgreSQL CPU per page, ms', results.syncCpu, (l) => results.sync[l].map((r) => r.pages), 'dbMs'),
    {
      metric: `(b) Single GET, ${options.connections} connections: req/s (median of ${options.rounds} × ${options.duration} s)`,
      ours: thousands(rpsOurs), baseline: thousands(rpsBase), ratio: ratio(rpsOurs, rpsBase),
      target: '≥ 0.50 of baseline', met: verdict(rpsOurs / rpsBase >= 0.5),
    },
    { metric: '(b) Single GET: p50 latency, ms', ours: fixed(p50Ours), baseline: fixed(p50Base), ratio: ratio(p50Ours, p50Base), target: '', met: '' },
    {
      metric: '(b) Single GET: p99 latency, ms', ours: fixed(p99Ours), baseline: fixed(p99Base), ratio: ratio(p99Ours, p99Base),
      target: '< 50 ms', met: verdict(p99Ours < 50),
    },
    cpuRow('(b) Single GET: server CPU per request, ms', results.loadCpu, (l) => results.load[l].map((r) => r.total), 'serverMs'),
    cpuRow('(b) Single GET: PostgreSQL CPU per request, ms', results.loadCpu, (l) => results.load[l].map((r) => r.total), 'dbMs'),
    {
      metric: `(c) Page at offset 0, ms (median of ${options.samples})`,
      ours: fixed(plain.ours.offset0Ms, 2), baseline: fixed(plain.baseline.offset0Ms, 2), ratio: ratio(plain.ours.offset0Ms, plain.baseline.offset0Ms), target: '', met: '',
    },
    {
      metric: `(c) Page at offset ${thousands(results.farOffset)} (${pct}), \`?offset=\`, ms`,
      ours: fixed(plain.ours.offsetFarMs, 2), baseline: fixed(plain.baseline.offsetFarMs, 2), ratio: ratio(plain.ours.offsetFarMs, plain.baseline.offsetFarMs), target: '', met: '',
    },
    {
      metric: `(c) Offset ${pct} / offset 0, \`?offset=\``,
      ours: fixed(plain.ours.ratio, 2), baseline: fixed(plain.baseline.ratio, 2), ratio: '',
      target: at100k ? '≤ 2 (N = 100,000)' : '≤ 2 at N = 100,000', met: at100k ? verdict(plain.ours.ratio <= 2) : '—',
    },
    {
      metric: `(c) Page at offset ${thousands(results.farOffset)} via the Link cursor, ms`,
      ours: fixed(cursor.ours.offsetFarMs, 2), baseline: fixed(cursor.baseline.offsetFarMs, 2), ratio: ratio(cursor.ours.offsetFarMs, cursor.baseline.offsetFarMs), target: '', met: '',
    },
    {
      metric: `(c) Offset ${pct} / offset 0, Link cursor`,
      ours: fixed(cursor.ours.ratio, 2), baseline: fixed(cursor.baseline.ratio, 2), ratio: '',
      target: at100k ? '≤ 2 (N = 100,000)' : '≤ 2 at N = 100,000', met: at100k ? verdict(cursor.ours.ratio <= 2) : '—',
    },
    {
      metric: '(d) Peak RSS (VmHWM) after all phases, MB',
      ours: fixed(memory.ours.peakMb, 0), baseline: fixed(memory.baseline.peakMb, 0), ratio: ratio(memory.ours.peakMb, memory.baseline.peakMb),
      target: at100k ? '< 300 MB (N = 100,000)' : '< 300 MB at N = 100,000', met: at100k ? verdict(memory.ours.peakMb < 300) : '—',
    },
    {
      metric: '(d) RSS after start-up (idle), MB',
      ours: fixed(results.idleMemory.ours.currentMb, 0), baseline: fixed(results.idleMemory.baseline.currentMb, 0),
      ratio: ratio(results.idleMemory.ours.currentMb, results.idleMemory.baseline.currentMb), target: '', met: '',
    },
    {
      metric: '(d) of which anonymous (heaps, WebAssembly, JIT code), MB',
      ours: fixed(results.idleMemory.ours.anonMb, 0), baseline: fixed(results.idleMemory.baseline.anonMb, 0),
      ratio: ratio(results.idleMemory.ours.anonMb, results.idleMemory.baseline.anonMb), target: '', met: '',
    },
    {
      metric: '(d) Peak RSS after start-up / (a) / (b) / (c), MB',
      ours: results.peaks.ours.map((v) => v.toFixed(0)).join(' / '), baseline: results.peaks.baseline.map((v) => v.toFixed(0)).join(' / '),
      ratio: '', target: '', met: '',
    },
  ];
}

function postgresVersion(db: string): Promise<string> {
  const client = new Client({ connectionString: db });
  return client
    .connect()
    .then(() => client.query<{ v: string }>("SELECT current_setting('server_version') AS v"))
    .then((r) => r.rows[0]!.v)
    .finally(() => client.end());
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const watchdog = setTimeout(() => {
    log(`timed out after ${options.timeout} s: killing the servers`);
    killChildren();
    process.exit(2);
  }, options.timeout * 1000);
  watchdog.unref();
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 0.5) log(`warning: the 1-minute load average is ${loadAtStart.toFixed(2)} before the run: other work shares this machine`);
  log(`N=${options.n}, database ${new URL(options.db).pathname.slice(1)}, ${options.connections} connections, ${options.duration} s per load phase`);

  if (options.build) {
    log('npm run build');
    runCommand('npm', ['run', 'build', '--silent'], REPO_ROOT, 300_000);
  } else if (!existsSync(path.join(REPO_ROOT, 'dist/src/main.js'))) {
    throw new Error('dist/src/main.js is missing: run without --no-build');
  }
  const baselineFile = transpileBaseline();

  log('recreating the database and seeding');
  const seedStarted = Date.now();
  await recreateDatabase(options.db);
  const partner = await seed(options.db, options.n);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  log(`seeded ${options.n} locations in ${seedSeconds.toFixed(1)} s`);

  const farOffset = Math.floor(options.n * 0.9);
  const farCursor = cursorFor(farOffset, await pkAt(options.db, farOffset - 1));
  const pgVersion = await postgresVersion(options.db);

  const children: Child[] = [];
  const monitor = new Client({ connectionString: options.db });
  await monitor.connect();
  try {
    const oursChild = await startOurs(options);
    children.push(oursChild);
    const baselineChild = await startBaseline(options, baselineFile.file);
    children.push(baselineChild);
    const targets: Record<Target['label'], Target> = {
      ours: { label: 'ours', baseUrl: oursChild.baseUrl, headers: { Authorization: partner.authorization } },
      baseline: { label: 'baseline', baseUrl: baselineChild.baseUrl, headers: {} },
    };
    const pids = { ours: oursChild.pid, baseline: baselineChild.pid };
    const idleMemory = { ours: memoryOf(pids.ours), baseline: memoryOf(pids.baseline) };

    log('checking that the node serves valid Locations and the baseline the same ones');
    const sizes = await verify(targets.ours, targets.baseline, options.n, farOffset, farCursor, options.pageSize);

    // Alternate the two servers (ABBA...) so drift on a noisy machine hits both alike.
    const order = (i: number): Target['label'][] => (i % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours']);

    const peaks: Results['peaks'] = { ours: [idleMemory.ours.peakMb], baseline: [idleMemory.baseline.peakMb] };
    const notePeaks = () => {
      for (const label of ['ours', 'baseline'] as const) peaks[label].push(memoryOf(pids[label]).peakMb);
      log(`  peak RSS so far: ours ${peaks.ours.at(-1)!.toFixed(0)} MB, baseline ${peaks.baseline.at(-1)!.toFixed(0)} MB`);
    };

    log('(a) full sync');
    const sync: Results['sync'] = { ours: [], baseline: [] };
    const syncCpu: Results['syncCpu'] = { ours: [], baseline: [] };
    const syncDeadline = Math.max(60_000, options.n * 5);
    for (let i = 0; i < options.syncRuns; i++) {
      for (const label of order(i)) {
        const before = await cpuSnapshot(monitor, pids[label]);
        const result = await fullSync(targets[label], options.n, options.pageSize, syncDeadline);
        const used = await cpuSince(monitor, pids[label], before);
        sync[label].push(result);
        syncCpu[label].push(used);
        log(`  ${label}: ${result.pages} pages in ${result.seconds.toFixed(2)} s, ${thousands(result.locationsPerSecond)} locations/s, ` +
          `${(result.bytes / 1e6).toFixed(1)} MB; CPU per page: server ${(used.serverMs / result.pages).toFixed(1)} ms, PostgreSQL ${(used.dbMs / result.pages).toFixed(1)} ms`);
      }
    }

    notePeaks();

    log('(b) single GETs');
    const warmup = Math.min(3, options.duration);
    for (const label of order(0)) await singleGets(targets[label], options.n, options.connections, warmup);
    const load: Results['load'] = { ours: [], baseline: [] };
    const loadCpu: Results['loadCpu'] = { ours: [], baseline: [] };
    for (let i = 0; i < options.rounds; i++) {
      for (const label of order(i)) {
        const before = await cpuSnapshot(monitor, pids[label]);
        const result = await singleGets(targets[label], options.n, options.connections, options.duration);
        const used = await cpuSince(monitor, pids[label], before);
        load[label].push(result);
        loadCpu[label].push(used);
        log(`  ${label}: ${thousands(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms; ` +
          `CPU per request: server ${(used.serverMs / result.total).toFixed(2)} ms, PostgreSQL ${(used.dbMs / result.total).toFixed(2)} ms`);
      }
    }

    notePeaks();

    log('(c) page cost at offset 0 and at 90%');
    const first = `${LOCATIONS_PATH}?offset=0&limit=${options.pageSize}`;
    const plainFar = `${LOCATIONS_PATH}?offset=${farOffset}&limit=${options.pageSize}`;
    const cursorFar = `${plainFar}&cursor=${farCursor}`;
    const plain = {} as Results['plain'];
    const cursor = {} as Results['cursor'];
    for (const label of order(0)) {
      const t = targets[label];
      plain[label] = await pageCost(t, `${t.baseUrl}${first}`, `${t.baseUrl}${plainFar}`, options.samples);
      cursor[label] = await pageCost(t, `${t.baseUrl}${first}`, `${t.baseUrl}${cursorFar}`, options.samples);
      log(`  ${label}: offset ${plain[label].offset0Ms.toFixed(2)} -> ${plain[label].offsetFarMs.toFixed(2)} ms, cursor ${cursor[label].offset0Ms.toFixed(2)} -> ${cursor[label].offsetFarMs.toFixed(2)} ms`);
    }

    notePeaks();
    const memory = { ours: memoryOf(pids.ours), baseline: memoryOf(pids.baseline) };
    const results: Results = {
      seedSeconds, sync, syncCpu, load, loadCpu, plain, cursor, memory, idleMemory, peaks, farOffset,
      singleBytes: { ours: sizes.oursBytes, baseline: sizes.baselineBytes },
    };
    closeConnections();
    for (const child of children.splice(0)) await child.stop();

    const cpu = cpus();
    const machine = `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, PostgreSQL ${pgVersion} on 127.0.0.1; ` +
      `load generator (autocannon), both servers and PostgreSQL share the machine; 1-minute load average before the run ${loadAtStart.toFixed(2)}`;
    const markdown = [
      `### N = ${thousands(options.n)} locations`,
      '',
      `Command: \`${options.command}\``,
      '',
      `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. Seeding ${thousands(options.n)} locations ` +
        `(${thousands(2 * options.n)} EVSEs, ${thousands(4 * options.n)} connectors) took ${seedSeconds.toFixed(1)} s; the whole run ` +
        `${Math.round((Date.now() - started) / 1000)} s. The node: \`node dist/src/main.js\`, LOG_LEVEL=${options.logLevel}, ` +
        `MAX_PAGE_SIZE=${options.pageSize}, DB_POOL_SIZE=10, a registered eMSP's token on every request. The baseline: ` +
        `bench/locations/baseline-server.ts, no authentication, pg pool of 10. Single-location bodies: ours ${thousands(sizes.oursBytes)} B, ` +
        `baseline ${thousands(sizes.baselineBytes)} B (jsonb text adds a space after \`:\` and \`,\`).`,
      '',
      table(rows(results, options)),
      '',
      `Per run: full sync ours ${sync.ours.map((s) => s.seconds.toFixed(2)).join(' / ')} s, baseline ${sync.baseline.map((s) => s.seconds.toFixed(2)).join(' / ')} s; ` +
        `single GETs ours ${load.ours.map((l) => `${thousands(l.requestsPerSecond)} req/s p99 ${l.p99} ms`).join(' / ')}, ` +
        `baseline ${load.baseline.map((l) => `${thousands(l.requestsPerSecond)} req/s p99 ${l.p99} ms`).join(' / ')}.`,
    ].join('\n');
    process.stdout.write(`\n${markdown}\n`);
    if (options.doc) {
      updateDoc(DOC, `bench:locations:N=${options.n}`, markdown);
      log(`updated ${path.relative(REPO_ROOT, DOC)}`);
    }
  } catch (error) {
    for (const child of children) process.stderr.write(`--- ${child.name} output (tail) ---\n${child.output()}\n`);
    throw error;
  } finally {
    await monitor.end().catch(() => undefined);
    closeConnections();
    for (const child of children) await child.stop().catch(() => undefined);
    rmSync(baselineFile.dir, { recursive: true, force: true });
  }
}

process.on('exit', killChildren);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:locations failed: ${error.stack ?? error.message}\n`);
    killChildren();
    process.exit(1);
  },
);
