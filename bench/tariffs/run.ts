/**
 * `npm run bench:tariffs [-- --n 10000]`: the operator's path through the Tariffs module, against the minimal
 * node:http + pg baseline of bench/locations (bench/locations/baseline-server.ts serves /ocpi/2.2.1/tariffs too)
 * in the same run. The locations benchmark's helpers do the work; this file says what is measured.
 *
 * (i) Import: fresh databases; an eMSP (test/helpers/fake-emsp.ts with a tariffs RECEIVER, hosted by
 *     bench/push/emsp-runner.ts) registers through the real handshake; N tariffs (bench/tariffs/seed.ts) are PUT
 *     through /admin/tariffs/{id} by concurrent writers while the node pushes them to the eMSP, until it holds
 *     all N; the baseline imports the same bodies with one INSERT each into a database of its own. Nothing is
 *     ANALYZEd.
 * Then the reads, alternating ours and the baseline (which serves the node's tables): (a) full syncs following
 * Link from ?limit=<page size>, (c) the page cost at offset 0 and at 90% of N (plain ?offset= and the Link
 * cursor); then ANALYZE, and (a) and (c) again. (d) The node's peak RSS through all of it.
 * Prints a markdown table and updates the "## Tariffs" section of docs/benchmarks.md.
 *
 * Options (argv, or the environment variable in brackets):
 *   --n <count>            [N]                    tariffs to import (10000)
 *   --writers <w>          [BENCH_WRITERS]        concurrent admin API writers during the import (16)
 *   --db <url>             [BENCH_DATABASE_URL]   database to drop and recreate; its name must contain "bench"
 *                                                 (postgresql://postgres@127.0.0.1:5432/ocpi_bench_tariffs); the
 *                                                 baseline's import goes to the same name with "_baseline" appended
 *   --sync-runs <r>        [BENCH_SYNC_RUNS]      full syncs per server and round, alternating (3; 2 above 50,000)
 *   --samples <s>          [BENCH_SAMPLES]        sequential requests per page-cost median (30)
 *   --page-size <p>        [BENCH_PAGE_SIZE]      limit of the sync and MAX_PAGE_SIZE of both servers (100)
 *   --log-level <level>    [BENCH_LOG_LEVEL]      the node's LOG_LEVEL (warn)
 *   --cpu-prof <dir>                              run the node with --cpu-prof, profiles written to <dir> at its exit
 *   --no-build                                    use dist/ as it is instead of running `npm run build`
 *   --no-doc                                      do not update docs/benchmarks.md
 *   --timeout <s>          [BENCH_TIMEOUT]        kill everything and fail after this long (1800)
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseOptions, type BenchSpec } from '../locations/options';
import { pageCosts, syncs, type ReadSetup } from '../locations/reads';
import { thousands } from '../locations/report';
import { log, machine, REPO_ROOT, runBench, startWatchdog } from '../locations/servers';
import { importPhase, readTargets, withSession } from '../locations/session';
import { report, updateTariffsDoc, type TariffReads, type TariffResults } from './report';
import { benchTariff, tariffId } from './seed';
import { TARIFFS_PATH, verifyTariffs } from './verify';

const DOC = path.join(REPO_ROOT, 'docs/benchmarks.md');

const TARIFFS_BENCH: BenchSpec = {
  script: 'bench:tariffs',
  db: 'postgresql://postgres@127.0.0.1:5432/ocpi_bench_tariffs',
  flags: ['n', 'db', 'writers', 'sync-runs', 'samples', 'page-size', 'log-level', 'cpu-prof', 'no-build', 'no-doc', 'timeout'],
};

/** (a) and (c) for one round (before or after ANALYZE). */
async function reads(setup: ReadSetup): Promise<TariffReads> {
  setup.log('(a) full sync');
  const synced = await syncs(setup, setup.options.syncRuns);
  setup.notePeaks();
  setup.log('(c) page cost at offset 0 and at 90%');
  const costs = await pageCosts(setup);
  setup.notePeaks();
  return { ...synced, ...costs };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env, (dir) => path.resolve(dir), TARIFFS_BENCH);
  startWatchdog(options.timeout);
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 0.5) log(`warning: the 1-minute load average is ${loadAtStart.toFixed(2)} before the run: other work shares this machine`);
  log(`N=${options.n} tariffs, database ${new URL(options.db).pathname.slice(1)}, ${options.writers} writers`);

  await withSession(options, 1, { tariffsReceiver: true }, async (session) => {
    const { pids, monitor, emsps } = session;
    log(`(i) import of ${thousands(options.n)} tariffs through the admin API, an eMSP with a tariffs RECEIVER receiving the pushes`);
    const imported = await importPhase(session, options, 'tariffs', (i) => ({ id: tariffId(i), body: benchTariff(i) }), () => emsps.waitForTariffs(0, options.n, 600_000));
    const { targets, farOffset, farCursor } = await readTargets(session, options, 'tariffs');
    log('checking that the node serves valid Tariffs, the baseline the same ones, and the eMSP holds them');
    const tariffBytes = await verifyTariffs(targets, emsps, { n: options.n, farOffset, farCursor, pageSize: options.pageSize });

    const setup: ReadSetup = { targets, pids, monitor, options, farOffset, farCursor, log, notePeaks: session.notePeaks, list: { path: TARIFFS_PATH, noun: 'tariffs' } };
    log('reads on the statistics the import left (no ANALYZE)');
    const stale = await reads(setup);
    log('ANALYZE, then (a) and (c) again');
    await monitor.query('ANALYZE');
    const analyzed = await reads(setup);
    const memory = session.memory();
    await session.stopServers();

    const results: TariffResults = { ...imported, stale, analyzed, memory, idleMemory: session.idleMemory, peaks: session.peaks, farOffset, tariffBytes };
    const markdown = report(options, results, { started, machine: machine(session.pgVersion, loadAtStart) });
    process.stdout.write(`\n${markdown}\n`);
    if (options.doc) {
      updateTariffsDoc(DOC, `bench:tariffs:N=${options.n}`, markdown);
      log(`updated ${path.relative(REPO_ROOT, DOC)}`);
    }
  });
}

runBench('bench:tariffs', main);
