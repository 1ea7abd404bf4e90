import type { Client } from 'pg';
import { fullSync, LOCATIONS_PATH, pageCost, singleGets, type Target } from './measure';
import type { Options } from './options';
import { cpuMsOf } from './processes';
import { thousands } from './report';
import type { CpuUse, PerServer, Reads } from './rows';

interface CpuSnapshot {
  serverMs: number;
  backends: Map<number, number>;
}

/** CPU accounting from /proc: the server process, and every PostgreSQL backend connected to `monitor`'s database. */
export async function cpuSnapshot(monitor: Client, serverPid: number): Promise<CpuSnapshot> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return { serverMs: cpuMsOf(serverPid), backends: new Map(rows.map((r) => [r.pid, cpuMsOf(r.pid)])) };
}

export async function cpuSince(monitor: Client, serverPid: number, before: CpuSnapshot): Promise<CpuUse> {
  const after = await cpuSnapshot(monitor, serverPid);
  let dbMs = 0;
  for (const [pid, ms] of after.backends) dbMs += ms - (before.backends.get(pid) ?? 0);
  return { serverMs: after.serverMs - before.serverMs, dbMs };
}

export interface ReadSetup {
  targets: PerServer<Target>;
  pids: PerServer<number>;
  monitor: Client;
  options: Options;
  farOffset: number;
  farCursor: string;
  log(message: string): void;
  /** Called after each of (a), (b), (c). */
  notePeaks(): void;
  /** The list read by (a) and (c) and what it lists (default: the locations). */
  list?: { path: string; noun: string };
}

const listOf = (setup: ReadSetup) => setup.list ?? { path: LOCATIONS_PATH, noun: 'locations' };

// Alternate the two servers (ABBA...) so drift on a noisy machine hits both alike.
const order = (i: number): Target['label'][] => (i % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours']);

/** (a): `runs` full syncs per server, alternating. */
export async function syncs(setup: ReadSetup, runs: number): Promise<Pick<Reads, 'sync' | 'syncCpu'>> {
  const { targets, pids, monitor, options, log } = setup;
  const list = listOf(setup);
  const sync: Reads['sync'] = { ours: [], baseline: [] };
  const syncCpu: Reads['syncCpu'] = { ours: [], baseline: [] };
  const deadline = Math.max(60_000, options.n * 5);
  for (let i = 0; i < runs; i++) {
    for (const label of order(i)) {
      const before = await cpuSnapshot(monitor, pids[label]);
      const result = await fullSync(targets[label], options.n, options.pageSize, deadline, list.path);
      const used = await cpuSince(monitor, pids[label], before);
      sync[label].push(result);
      syncCpu[label].push(used);
      log(`  ${label}: ${result.pages} pages in ${result.seconds.toFixed(2)} s, ${thousands(result.perSecond)} ${list.noun}/s, ` +
        `${(result.bytes / 1e6).toFixed(1)} MB; CPU per page: server ${(used.serverMs / result.pages).toFixed(1)} ms, PostgreSQL ${(used.dbMs / result.pages).toFixed(1)} ms`);
    }
  }
  return { sync, syncCpu };
}

async function loads(setup: ReadSetup): Promise<Pick<Reads, 'load' | 'loadCpu'>> {
  const { targets, pids, monitor, options, log } = setup;
  const warmup = Math.min(3, options.duration);
  for (const label of order(0)) await singleGets(targets[label], options.n, options.connections, warmup);
  const load: Reads['load'] = { ours: [], baseline: [] };
  const loadCpu: Reads['loadCpu'] = { ours: [], baseline: [] };
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
  return { load, loadCpu };
}

/** (c): the median cost of the first page and of the page at `farOffset`, by plain offset and by cursor. */
export async function pageCosts(setup: ReadSetup): Promise<Pick<Reads, 'plain' | 'cursor'>> {
  const { targets, options, farOffset, farCursor, log } = setup;
  const { path } = listOf(setup);
  const first = `${path}?offset=0&limit=${options.pageSize}`;
  const plainFar = `${path}?offset=${farOffset}&limit=${options.pageSize}`;
  const cursorFar = `${plainFar}&cursor=${farCursor}`;
  const plain = {} as Reads['plain'];
  const cursor = {} as Reads['cursor'];
  for (const label of order(0)) {
    const t = targets[label];
    plain[label] = await pageCost(t, `${t.baseUrl}${first}`, `${t.baseUrl}${plainFar}`, options.samples);
    cursor[label] = await pageCost(t, `${t.baseUrl}${first}`, `${t.baseUrl}${cursorFar}`, options.samples);
    log(`  ${label}: offset ${plain[label].offset0Ms.toFixed(2)} -> ${plain[label].offsetFarMs.toFixed(2)} ms, cursor ${cursor[label].offset0Ms.toFixed(2)} -> ${cursor[label].offsetFarMs.toFixed(2)} ms`);
  }
  return { plain, cursor };
}

/** (a), (b) and (c), as a partner would read: with `withLoad` false, (b) is left out. */
export async function measureReads(setup: ReadSetup, withLoad: true): Promise<Reads>;
export async function measureReads(setup: ReadSetup, withLoad: false): Promise<Omit<Reads, 'load' | 'loadCpu'>>;
export async function measureReads(setup: ReadSetup, withLoad: boolean): Promise<Reads | Omit<Reads, 'load' | 'loadCpu'>> {
  setup.log('(a) full sync');
  const synced = await syncs(setup, withLoad ? setup.options.syncRuns : Math.min(2, setup.options.syncRuns));
  setup.notePeaks();
  let loaded: Pick<Reads, 'load' | 'loadCpu'> | undefined;
  if (withLoad) {
    setup.log('(b) single GETs');
    loaded = await loads(setup);
    setup.notePeaks();
  }
  setup.log('(c) page cost at offset 0 and at 90%');
  const costs = await pageCosts(setup);
  setup.notePeaks();
  return { ...synced, ...loaded, ...costs };
}
