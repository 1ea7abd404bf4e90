/**
 * `npm run bench:locations [-- --n 100000]`: the operator's path through the Locations module, against a minimal
 * node:http + pg baseline (bench/locations/baseline-server.ts) in the same run.
 *
 * (i) Import: a fresh database; an eMSP (test/helpers/fake-emsp.ts, hosted by bench/push/emsp-runner.ts) registers
 *     through the real handshake; N locations (2 EVSEs of 2 connectors each) are PUT through the admin API by
 *     concurrent writers while the eMSP receives the pushes; the baseline imports the same trees with hand-written
 *     SQL (one transaction each) into a database of its own. Nothing is ANALYZEd: the tables' statistics are what
 *     an operator has right after an import.
 * Then the reads, alternating ours and the baseline (which serves the node's tables): (a) a full sync following
 * Link headers, (b) single GETs at 50 connections, (c) the page cost at offset 0 and at 90% of N; then ANALYZE,
 * and (a) and (c) again. (d) The node's peak RSS through all of it. (e) With --embedded M: a node on a new
 * embedded database (PGlite) imports M locations with an eMSP registered; its RSS after start and after import.
 * Prints a markdown table and updates docs/benchmarks.md.
 *
 * Options (argv, or the environment variable in brackets):
 *   --n <count>            [N]                    locations to import (10000)
 *   --writers <w>          [BENCH_WRITERS]        concurrent admin API writers during the import (16)
 *   --embedded <m>         [BENCH_EMBEDDED]       locations for the embedded-database phase (2000; 0 skips it)
 *   --db <url>             [BENCH_DATABASE_URL]   database to drop and recreate; its name must contain "bench"
 *                                                 (postgresql://postgres@127.0.0.1:5432/ocpi_bench); the baseline's
 *                                                 import goes to the same name with "_baseline" appended
 *   --duration <s>         [BENCH_DURATION]       seconds per single-GET load phase (10)
 *   --connections <c>      [BENCH_CONNECTIONS]    concurrent connections for single GETs (50)
 *   --rounds <r>           [BENCH_ROUNDS]         single-GET load phases per server, alternating (2)
 *   --sync-runs <r>        [BENCH_SYNC_RUNS]      full syncs per server, alternating (3; 2 above 50,000 locations)
 *   --samples <s>          [BENCH_SAMPLES]        sequential requests per page-cost median (30)
 *   --page-size <p>        [BENCH_PAGE_SIZE]      limit of the sync and MAX_PAGE_SIZE of both servers (100)
 *   --log-level <level>    [BENCH_LOG_LEVEL]      the node's LOG_LEVEL (warn: info writes an access log line per request)
 *   --cpu-prof <dir>                              run the node with --cpu-prof, profiles written to <dir> at its exit
 *   --no-build                                    use dist/ as it is instead of running `npm run build`
 *   --no-doc                                      do not update docs/benchmarks.md
 *   --timeout <s>          [BENCH_TIMEOUT]        kill everything and fail after this long (1800)
 */
import { readFileSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import ts from 'typescript';
import { Client } from 'pg';
import { Location, locationRuleViolations } from '../../src/modules/locations/locations.schema';
import { problemsWith } from '../../src/ocpi/validate';
import { killChildren as killRpcChildren } from '../push/processes';
import { closeConnections, get } from './http';
import { importLocations, startEmsps, type Emsps } from './import';
import { cursorFor, LOCATIONS_PATH, parseEnvelope, type Target } from './measure';
import { parseOptions, type Options } from './options';
import { freePort, killChildren, memoryOf, runCommand, startChild, type Child } from './processes';
import { cpuSince, cpuSnapshot, measureReads } from './reads';
import { table, thousands, updateDoc } from './report';
import { rows, type EmbeddedResults, type Results } from './rows';
import { locationId, pkAt, recreateDatabase } from './seed';

const REPO_ROOT = path.resolve(__dirname, '../..');
const DOC = path.join(REPO_ROOT, 'docs/benchmarks.md');

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

const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** The node as `npm start` runs it, on `database` (a URL, or the embedded database in a data directory). */
async function startOurs(options: Options, database: { DATABASE_URL: string } | { DATA_DIR: string }): Promise<Child> {
  const port = await freePort();
  const args = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [];
  return startChild({
    name: 'node',
    args: [...args, 'dist/src/main.js'],
    cwd: REPO_ROOT,
    port,
    env: {
      ...baseEnv(),
      ...database,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ADMIN_TOKEN,
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
      IMPORT_DATABASE_URL: baselineDb(options),
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MAX_PAGE_SIZE: String(options.pageSize),
      DB_POOL_SIZE: '10',
    },
  });
}

const baselineDb = (options: Options) => {
  const url = new URL(options.db);
  url.pathname = `${url.pathname}_baseline`;
  return url.toString();
};

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

function postgresVersion(db: string): Promise<string> {
  const client = new Client({ connectionString: db });
  return client
    .connect()
    .then(() => client.query<{ v: string }>("SELECT current_setting('server_version') AS v"))
    .then((r) => r.rows[0]!.v)
    .finally(() => client.end());
}

/** (e): a node on a new embedded database, an eMSP registered, `options.embedded` locations imported. */
async function embeddedPhase(options: Options, emsps: Emsps): Promise<EmbeddedResults> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ocpi-bench-embedded-'));
  try {
    const node = await startOurs(options, { DATA_DIR: dataDir });
    try {
      const afterStart = memoryOf(node.pid);
      await emsps.register(1, node.baseUrl, ADMIN_TOKEN);
      const target = { baseUrl: node.baseUrl, path: (id: string) => `/admin/locations/${id}`, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, created: 201 };
      const imported = await importLocations(target, 1, options.embedded, options.writers);
      const drainSeconds = await emsps.waitForPuts(1, options.embedded, 300_000);
      const afterImport = memoryOf(node.pid);
      log(`  embedded: ${thousands(imported.perSecond)} creations/s; RSS after start ${afterStart.currentMb.toFixed(0)} MB, after import ${afterImport.currentMb.toFixed(0)} MB, peak ${afterImport.peakMb.toFixed(0)} MB`);
      return { n: options.embedded, import: imported, drainSeconds, afterStart, afterImport };
    } finally {
      await node.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(options: Options, results: Results, context: { started: number; loadAtStart: number; pgVersion: string }): string {
  const cpu = cpus();
  const machine = `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, PostgreSQL ${context.pgVersion} on 127.0.0.1; ` +
    `load generator, eMSP, both servers and PostgreSQL share the machine; 1-minute load average before the run ${context.loadAtStart.toFixed(2)}`;
  const { sync, load } = results.stale;
  return [
    `### N = ${thousands(options.n)} locations`,
    '',
    `Command: \`${options.command}\``,
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}. The whole run took ` +
      `${Math.round((Date.now() - context.started) / 1000)} s. The node: \`node dist/src/main.js\`, LOG_LEVEL=${options.logLevel}, ` +
      `MAX_PAGE_SIZE=${options.pageSize}, DB_POOL_SIZE=10, default push settings, one registered eMSP; its token on every read. ` +
      `The baseline: bench/locations/baseline-server.ts, no authentication, pg pool of 10, JIT off like the node. ` +
      `Single-location bodies: ours ${thousands(results.singleBytes.ours)} B, baseline ${thousands(results.singleBytes.baseline)} B.`,
    '',
    table(rows(results, options)),
    '',
    `Per run without ANALYZE: full sync ours ${sync.ours.map((s) => s.seconds.toFixed(2)).join(' / ')} s, baseline ${sync.baseline.map((s) => s.seconds.toFixed(2)).join(' / ')} s; ` +
      `single GETs ours ${load.ours.map((l) => `${thousands(l.requestsPerSecond)} req/s p99 ${l.p99} ms`).join(' / ')}, ` +
      `baseline ${load.baseline.map((l) => `${thousands(l.requestsPerSecond)} req/s p99 ${l.p99} ms`).join(' / ')}.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env, (dir) => path.resolve(dir));
  const watchdog = setTimeout(() => {
    log(`timed out after ${options.timeout} s: killing the servers`);
    stopEverything();
    process.exit(2);
  }, options.timeout * 1000);
  watchdog.unref();
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 0.5) log(`warning: the 1-minute load average is ${loadAtStart.toFixed(2)} before the run: other work shares this machine`);
  log(`N=${options.n}, database ${new URL(options.db).pathname.slice(1)}, ${options.writers} writers, ${options.connections} connections, ${options.duration} s per load phase`);

  if (options.build) {
    log('npm run build');
    runCommand('npm', ['run', 'build', '--silent'], REPO_ROOT, 300_000);
  } else if (!existsSync(path.join(REPO_ROOT, 'dist/src/main.js'))) {
    throw new Error('dist/src/main.js is missing: run without --no-build');
  }
  const baselineFile = transpileBaseline();
  await recreateDatabase(options.db);
  await recreateDatabase(baselineDb(options));
  const pgVersion = await postgresVersion(options.db);

  const children: Child[] = [];
  const monitor = new Client({ connectionString: options.db });
  const baselineMonitor = new Client({ connectionString: baselineDb(options) });
  await monitor.connect();
  await baselineMonitor.connect();
  const emsps = await startEmsps(2);
  try {
    const oursChild = await startOurs(options, { DATABASE_URL: options.db });
    children.push(oursChild);
    const baselineChild = await startBaseline(options, baselineFile.file);
    children.push(baselineChild);
    const pids = { ours: oursChild.pid, baseline: baselineChild.pid };
    const idleMemory = { ours: memoryOf(pids.ours), baseline: memoryOf(pids.baseline) };
    const peaks = [idleMemory.ours.peakMb];
    const notePeaks = () => {
      peaks.push(memoryOf(pids.ours).peakMb);
      log(`  the node's peak RSS so far: ${peaks.at(-1)!.toFixed(0)} MB`);
    };

    log(`(i) import of ${thousands(options.n)} locations through the admin API, an eMSP receiving the pushes`);
    await emsps.register(0, oursChild.baseUrl, ADMIN_TOKEN);
    const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    let before = await cpuSnapshot(monitor, pids.ours);
    const ours = await importLocations({ baseUrl: oursChild.baseUrl, path: (id) => `/admin/locations/${id}`, headers: admin, created: 201 }, 1, options.n, options.writers);
    const drainSeconds = await emsps.waitForPuts(0, options.n, 600_000);
    const oursCpu = await cpuSince(monitor, pids.ours, before);
    log(`  ours: ${thousands(ours.perSecond)} creations/s, p50 ${ours.p50.toFixed(0)} ms, p99 ${ours.p99.toFixed(0)} ms; every push delivered ${drainSeconds.toFixed(1)} s after the last creation`);
    notePeaks();
    before = await cpuSnapshot(baselineMonitor, pids.baseline);
    const baseline = await importLocations({ baseUrl: baselineChild.baseUrl, path: (id) => `/import/locations/${id}`, headers: {}, created: 201 }, 1, options.n, options.writers);
    const baselineCpu = await cpuSince(baselineMonitor, pids.baseline, before);
    log(`  baseline: ${thousands(baseline.perSecond)} creations/s, p50 ${baseline.p50.toFixed(0)} ms, p99 ${baseline.p99.toFixed(0)} ms`);

    const targets: Record<Target['label'], Target> = {
      ours: { label: 'ours', baseUrl: oursChild.baseUrl, headers: { Authorization: await emsps.authorization(0) } },
      baseline: { label: 'baseline', baseUrl: baselineChild.baseUrl, headers: {} },
    };
    const farOffset = Math.floor(options.n * 0.9);
    const farCursor = cursorFor(farOffset, await pkAt(options.db, farOffset - 1));
    log('checking that the node serves valid Locations and the baseline the same ones');
    const sizes = await verify(targets.ours, targets.baseline, options.n, farOffset, farCursor, options.pageSize);

    const setup = { targets, pids, monitor, options, farOffset, farCursor, log, notePeaks };
    log('reads on the statistics the import left (no ANALYZE)');
    const stale = await measureReads(setup, true);
    log('ANALYZE, then (a) and (c) again');
    await monitor.query('ANALYZE');
    const analyzed = await measureReads(setup, false);
    const memory = { ours: memoryOf(pids.ours), baseline: memoryOf(pids.baseline) };
    closeConnections();
    for (const child of children.splice(0)) await child.stop();

    const embedded = options.embedded > 0 ? (log(`(e) embedded database: ${thousands(options.embedded)} locations`), await embeddedPhase(options, emsps)) : undefined;
    const results: Results = {
      import: { ours, baseline }, importCpu: { ours: oursCpu, baseline: baselineCpu }, drainSeconds,
      stale, analyzed, memory, idleMemory, peaks, embedded, farOffset, singleBytes: { ours: sizes.oursBytes, baseline: sizes.baselineBytes },
    };
    const markdown = report(options, results, { started, loadAtStart, pgVersion });
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
    await baselineMonitor.end().catch(() => undefined);
    closeConnections();
    for (const child of children) await child.stop().catch(() => undefined);
    await emsps.stop();
    rmSync(baselineFile.dir, { recursive: true, force: true });
  }
}

function stopEverything(): void {
  killChildren();
  killRpcChildren();
}

process.on('exit', stopEverything);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopEverything();
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench:locations failed: ${error.stack ?? error.message}\n`);
    stopEverything();
    process.exit(1);
  },
);
