/** The tariffs benchmark's table and its section of docs/benchmarks.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ImportResult } from '../locations/import';
import { median } from '../locations/measure';
import type { Options } from '../locations/options';
import type { Memory } from '../locations/processes';
import { fixed, table, thousands, updateDoc, type Row } from '../locations/report';
import { both, ratio, readRows, statisticsRows, type CpuUse, type PerServer, type Reads } from '../locations/rows';

export type TariffReads = Omit<Reads, 'load' | 'loadCpu'>;

export interface TariffResults {
  import: PerServer<ImportResult>;
  importCpu: PerServer<CpuUse>;
  /** Seconds from the last creation's answer until the eMSP held every tariff. */
  drainSeconds: number;
  stale: TariffReads;
  analyzed: TariffReads;
  memory: PerServer<Memory>;
  idleMemory: PerServer<Memory>;
  /** The node's peak RSS (MB) after start-up, the import, (a), (c), and the ANALYZEd (a) and (c). */
  peaks: number[];
  farOffset: number;
  /** Mean bytes of one tariff as served. */
  tariffBytes: PerServer<number>;
}

export const SYNC_TARGET = 0.5;

const syncRatio = (reads: TariffReads) => {
  const rate = (label: 'ours' | 'baseline') => median(reads.sync[label].map((s) => s.perSecond));
  return rate('ours') / rate('baseline');
};

function importRows(results: TariffResults, options: Options): Row[] {
  const { ours, baseline } = results.import;
  const perCreation = (label: 'ours' | 'baseline', field: keyof CpuUse) => results.importCpu[label][field] / options.n;
  return [
    {
      metric: `(i) Import through the admin API, ${options.writers} writers, an eMSP receiving pushes: creations/s`,
      ours: thousands(ours.perSecond), baseline: thousands(baseline.perSecond), ratio: ratio(ours.perSecond, baseline.perSecond), target: '', met: '',
    },
    both('(i) Import: p50 latency, ms', ours.p50, baseline.p50),
    both('(i) Import: p99 latency, ms', ours.p99, baseline.p99),
    both('(i) Import: server CPU per creation (until the eMSP held all), ms', perCreation('ours', 'serverMs'), perCreation('baseline', 'serverMs'), 2),
    both('(i) Import: PostgreSQL CPU per creation, ms', perCreation('ours', 'dbMs'), perCreation('baseline', 'dbMs'), 2),
    { metric: '(i) The eMSP holds every tariff, s after the last creation', ours: fixed(results.drainSeconds, 1), baseline: '—', ratio: '', target: '', met: '' },
  ];
}

function memoryRows(results: TariffResults): Row[] {
  const { memory, idleMemory, peaks } = results;
  return [
    both('(d) Peak RSS (VmHWM) after all phases, MB', memory.ours.peakMb, memory.baseline.peakMb, 0),
    both('(d) RSS after start-up (idle), MB', idleMemory.ours.currentMb, idleMemory.baseline.currentMb, 0),
    { metric: '(d) Peak RSS after start-up / import / (a) / (c) / ANALYZEd (a), (c), MB', ours: peaks.map((v) => v.toFixed(0)).join(' / '), baseline: '', ratio: '', target: '', met: '' },
  ];
}

export function rows(results: TariffResults, options: Options): Row[] {
  return [
    ...importRows(results, options),
    ...readRows(results.stale, options, '', results.farOffset, 'tariffs'),
    ...readRows(results.analyzed, options, "'", results.farOffset, 'tariffs'),
    ...statisticsRows(results),
    ...memoryRows(results),
  ];
}

/** One sentence on the target, from the figures (the hand-written reading follows the section in the doc). */
function verdict(results: TariffResults): string {
  const [before, after] = [syncRatio(results.stale), syncRatio(results.analyzed)];
  const met = before >= SYNC_TARGET && after >= SYNC_TARGET;
  return `Verdict: a full sync runs at ${before.toFixed(2)} of the baseline's tariffs/s without ANALYZE and ${after.toFixed(2)} after it ` +
    `(target ≥ ${SYNC_TARGET.toFixed(2)}, the locations module's): ${met ? 'met' : '**not met**'}. ` +
    `The import runs at ${ratio(results.import.ours.perSecond, results.import.baseline.perSecond)} of the baseline's creations/s, pushes included.`;
}

export interface RunContext {
  started: number;
  machine: string;
}

export function report(options: Options, results: TariffResults, context: RunContext): string {
  const seconds = (reads: TariffReads, label: 'ours' | 'baseline') => reads.sync[label].map((s) => s.seconds.toFixed(2)).join(' / ');
  return [
    `### N = ${thousands(options.n)} tariffs`,
    '',
    `Command: \`${options.command}\``,
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${context.machine}. The whole run took ` +
      `${Math.round((Date.now() - context.started) / 1000)} s. The node: \`node dist/src/main.js\`, LOG_LEVEL=${options.logLevel}, ` +
      `MAX_PAGE_SIZE=${options.pageSize}, DB_POOL_SIZE=10, default push settings, one eMSP registered through the handshake with a tariffs ` +
      `RECEIVER; its token on every read. The baseline: bench/locations/baseline-server.ts (/ocpi/2.2.1/tariffs), no authentication, pg pool ` +
      `of 10, JIT off like the node. One tariff as served: ours ${thousands(results.tariffBytes.ours)} B, baseline ${thousands(results.tariffBytes.baseline)} B.`,
    '',
    table(rows(results, options)),
    '',
    `Full sync seconds per run, without ANALYZE: ours ${seconds(results.stale, 'ours')}, baseline ${seconds(results.stale, 'baseline')}; ` +
      `after ANALYZE: ours ${seconds(results.analyzed, 'ours')}, baseline ${seconds(results.analyzed, 'baseline')}.`,
    '',
    verdict(results),
  ].join('\n');
}

/**
 * Writes the run into the "## Tariffs" section of `file`: the section is appended the first time, and a run with
 * another N gets its markers before the first run's.
 */
export function updateTariffsDoc(file: string, key: string, markdown: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!current.includes(`<!-- ${key}:begin -->`)) {
    const block = `<!-- ${key}:begin -->\n<!-- ${key}:end -->\n`;
    const first = current.indexOf('<!-- bench:tariffs:');
    writeFileSync(file, first >= 0 ? `${current.slice(0, first)}${block}\n${current.slice(first)}` : `${current.trimEnd()}\n\n## Tariffs\n\n${block}`);
  }
  updateDoc(file, key, markdown);
}
