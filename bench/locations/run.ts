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
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Location, locationRuleViolations } from '../../src/modules/locations/locations.schema';
import { problemsWith } from '../../src/ocpi/validate';
import { importLocations, type Emsps } from './import';
import { LOCATIONS_PATH, type Target } from './measure';
import { parseOptions, type Options } from './options';
import { memoryOf } from './processes';
import { measureReads } from './reads';
import { table, thousands, updateDoc } from './report';
import { rows, type EmbeddedResults, type Results } from './rows';
import { benchLocation, locationId } from './seed';
import { ADMIN_TOKEN, fetchData, log, machine, REPO_ROOT, runBench, startOurs, startWatchdog } from './servers';
import { importPhase, readTargets, withSession } from './session';

const DOC = path.join(REPO_ROOT, 'docs/benchmarks.md');

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
  const { sync, load } = results.stale;
  return [
    `### N = ${thousands(options.n)} locations`,
    '',
    `Command: \`${options.command}\``,
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine(context.pgVersion, context.loadAtStart)}. The whole run took ` +
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
  startWatchdog(options.timeout);
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 0.5) log(`warning: the 1-minute load average is ${loadAtStart.toFixed(2)} before the run: other work shares this machine`);
  log(`N=${options.n}, database ${new URL(options.db).pathname.slice(1)}, ${options.writers} writers, ${options.connections} connections, ${options.duration} s per load phase`);

  await withSession(options, 2, {}, async (session) => {
    const { pids, monitor, emsps } = session;
    log(`(i) import of ${thousands(options.n)} locations through the admin API, an eMSP receiving the pushes`);
    const imported = await importPhase(session, options, 'locations', (i) => ({ id: locationId(i), body: benchLocation(i) }), () => emsps.waitForPuts(0, options.n, 600_000));
    const { targets, farOffset, farCursor } = await readTargets(session, options, 'locations');
    log('checking that the node serves valid Locations and the baseline the same ones');
    const sizes = await verify(targets.ours, targets.baseline, options.n, farOffset, farCursor, options.pageSize);

    const setup = { targets, pids, monitor, options, farOffset, farCursor, log, notePeaks: session.notePeaks };
    log('reads on the statistics the import left (no ANALYZE)');
    const stale = await measureReads(setup, true);
    log('ANALYZE, then (a) and (c) again');
    await monitor.query('ANALYZE');
    const analyzed = await measureReads(setup, false);
    const memory = session.memory();
    await session.stopServers();

    const embedded = options.embedded > 0 ? (log(`(e) embedded database: ${thousands(options.embedded)} locations`), await embeddedPhase(options, emsps)) : undefined;
    const results: Results = {
      ...imported, stale, analyzed, memory, idleMemory: session.idleMemory, peaks: session.peaks, embedded, farOffset,
      singleBytes: { ours: sizes.oursBytes, baseline: sizes.baselineBytes },
    };
    const markdown = report(options, results, { started, loadAtStart, pgVersion: session.pgVersion });
    process.stdout.write(`\n${markdown}\n`);
    if (options.doc) {
      updateDoc(DOC, `bench:locations:N=${options.n}`, markdown);
      log(`updated ${path.relative(REPO_ROOT, DOC)}`);
    }
  });
}

runBench('bench:locations', main);
