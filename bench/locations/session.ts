/**
 * One benchmark run's set-up, shared by bench/locations and bench/tariffs: fresh databases, the node and the
 * baseline started, PostgreSQL monitors for CPU accounting, the eMSPs; then the import phase and the read targets.
 */
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { closeConnections } from './http';
import { importObjects, startEmsps, type EmspOptions, type Emsps, type ImportResult } from './import';
import { cursorFor, type Target } from './measure';
import type { Options } from './options';
import { memoryOf, type Child, type Memory } from './processes';
import { cpuSince, cpuSnapshot } from './reads';
import { thousands } from './report';
import type { CpuUse, PerServer } from './rows';
import { pkAt, recreateDatabase } from './seed';
import { ADMIN_TOKEN, baselineDb, build, log, postgresVersion, startBaseline, startOurs, transpileBaseline } from './servers';

export interface Session {
  ours: Child;
  baseline: Child;
  pids: PerServer<number>;
  /** Connected to the node's database (which the baseline also reads) and to the baseline's import database. */
  monitor: Client;
  baselineMonitor: Client;
  emsps: Emsps;
  pgVersion: string;
  idleMemory: PerServer<Memory>;
  /** The node's peak RSS (MB) after start-up and at each `notePeaks`. */
  peaks: number[];
  notePeaks(): void;
  /** Memory of both servers now. */
  memory(): PerServer<Memory>;
  /** Stops both servers (the eMSPs stay up). */
  stopServers(): Promise<void>;
}

/**
 * Builds, recreates both databases, starts `emspCount` eMSPs, the node and the baseline, runs `body`, and stops
 * everything whatever happens (with the servers' last output when it failed).
 */
export async function withSession(options: Options, emspCount: number, emspOptions: EmspOptions, body: (session: Session) => Promise<void>): Promise<void> {
  build(options);
  const baselineFile = transpileBaseline();
  await recreateDatabase(options.db);
  await recreateDatabase(baselineDb(options));
  const pgVersion = await postgresVersion(options.db);
  const children: Child[] = [];
  const monitor = new Client({ connectionString: options.db });
  const baselineMonitor = new Client({ connectionString: baselineDb(options) });
  await monitor.connect();
  await baselineMonitor.connect();
  const emsps = await startEmsps(emspCount, emspOptions);
  try {
    const ours = await startOurs(options, { DATABASE_URL: options.db });
    children.push(ours);
    const baseline = await startBaseline(options, baselineFile.file);
    children.push(baseline);
    const pids = { ours: ours.pid, baseline: baseline.pid };
    const memory = () => ({ ours: memoryOf(pids.ours), baseline: memoryOf(pids.baseline) });
    const idleMemory = memory();
    const peaks = [idleMemory.ours.peakMb];
    const notePeaks = () => {
      peaks.push(memoryOf(pids.ours).peakMb);
      log(`  the node's peak RSS so far: ${peaks.at(-1)!.toFixed(0)} MB`);
    };
    const stopServers = async () => {
      closeConnections();
      for (const child of children.splice(0)) await child.stop();
    };
    await body({ ours, baseline, pids, monitor, baselineMonitor, emsps, pgVersion, idleMemory, peaks, notePeaks, memory, stopServers });
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

export interface ImportPhase {
  import: PerServer<ImportResult>;
  importCpu: PerServer<CpuUse>;
  /** Seconds from the last creation's answer until eMSP 0 had every object. */
  drainSeconds: number;
}

/**
 * (i): eMSP 0 registers with the node; objects 1..N (`object(i)`) are PUT to the node's `/admin/<module>/{id}`
 * until `delivered` (which waits for eMSP 0 to have them all) returns; then to the baseline's `/import/<module>/{id}`.
 * The node's CPU counts until the eMSP had everything.
 */
export async function importPhase(session: Session, options: Options, module: string, object: (i: number) => { id: string; body: unknown }, delivered: () => Promise<number>): Promise<ImportPhase> {
  const { ours: node, baseline: base, pids, monitor, baselineMonitor } = session;
  await session.emsps.register(0, node.baseUrl, ADMIN_TOKEN);
  let before = await cpuSnapshot(monitor, pids.ours);
  const admin = { baseUrl: node.baseUrl, path: (id: string) => `/admin/${module}/${id}`, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, created: 201 };
  const ours = await importObjects(admin, 1, options.n, options.writers, object);
  const drainSeconds = await delivered();
  const oursCpu = await cpuSince(monitor, pids.ours, before);
  log(`  ours: ${thousands(ours.perSecond)} creations/s, p50 ${ours.p50.toFixed(0)} ms, p99 ${ours.p99.toFixed(0)} ms; the eMSP had them all ${drainSeconds.toFixed(1)} s after the last creation`);
  session.notePeaks();
  before = await cpuSnapshot(baselineMonitor, pids.baseline);
  const baseline = await importObjects({ baseUrl: base.baseUrl, path: (id) => `/import/${module}/${id}`, headers: {}, created: 201 }, 1, options.n, options.writers, object);
  const baselineCpu = await cpuSince(baselineMonitor, pids.baseline, before);
  log(`  baseline: ${thousands(baseline.perSecond)} creations/s, p50 ${baseline.p50.toFixed(0)} ms, p99 ${baseline.p99.toFixed(0)} ms`);
  return { import: { ours, baseline }, importCpu: { ours: oursCpu, baseline: baselineCpu }, drainSeconds };
}

/** The two servers as a partner reads them (the node with eMSP 0's token), and the page at 90% of `table`. */
export async function readTargets(session: Session, options: Options, table: 'locations' | 'tariffs'): Promise<{ targets: PerServer<Target>; farOffset: number; farCursor: string }> {
  const targets: PerServer<Target> = {
    ours: { label: 'ours', baseUrl: session.ours.baseUrl, headers: { Authorization: await session.emsps.authorization(0) } },
    baseline: { label: 'baseline', baseUrl: session.baseline.baseUrl, headers: {} },
  };
  const farOffset = Math.floor(options.n * 0.9);
  return { targets, farOffset, farCursor: cursorFor(farOffset, await pkAt(options.db, farOffset - 1, table)) };
}
