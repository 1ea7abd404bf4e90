import type { ImportResult } from './import';
import { median, type LoadResult, type PageCost, type SyncResult, type Target } from './measure';
import type { Options } from './options';
import type { Memory } from './processes';
import { fixed, thousands, verdict, type Row } from './report';

type Label = Target['label'];
export type PerServer<T> = Record<Label, T>;

export interface CpuUse {
  /** CPU time of the server process, ms. */
  serverMs: number;
  /** CPU time of the PostgreSQL backends serving the benchmark database, ms. */
  dbMs: number;
}

/** One round of reads: (a) full syncs, (b) single GETs, (c) page costs. */
export interface Reads {
  sync: PerServer<SyncResult[]>;
  syncCpu: PerServer<CpuUse[]>;
  load: PerServer<LoadResult[]>;
  loadCpu: PerServer<CpuUse[]>;
  plain: PerServer<PageCost>;
  cursor: PerServer<PageCost>;
}

export interface EmbeddedResults {
  n: number;
  import: ImportResult;
  drainSeconds: number;
  afterStart: Memory;
  afterImport: Memory;
}

export interface Results {
  import: PerServer<ImportResult>;
  importCpu: PerServer<CpuUse>;
  /** Seconds from the last creation's answer until the eMSP had received every location. */
  drainSeconds: number;
  stale: Reads;
  /** After ANALYZE: reads without (b), which the statistics do not change. */
  analyzed: Omit<Reads, 'load' | 'loadCpu'>;
  memory: PerServer<Memory>;
  idleMemory: PerServer<Memory>;
  /** Peak RSS (MB) of the node after start-up and after each phase: shows which phase raised it. */
  peaks: number[];
  embedded: EmbeddedResults | undefined;
  singleBytes: PerServer<number>;
  farOffset: number;
}

export const ratio = (a: number, b: number) => fixed(a / b, 2);
export const both = (metric: string, ours: number, baseline: number, digits = 1, target = '', met = ''): Row => ({
  metric, ours: fixed(ours, digits), baseline: fixed(baseline, digits), ratio: ratio(ours, baseline), target, met,
});

/** CPU time per unit of work (page, request), median over the runs; from /proc, 10 ms ticks. */
export function cpuRow(metric: string, cpu: PerServer<CpuUse[]>, units: (label: Label) => number[], field: keyof CpuUse): Row {
  const per = (label: Label) => median(cpu[label].map((use, i) => use[field] / units(label)[i]!));
  return both(metric, per('ours'), per('baseline'), 2);
}

function importRows(results: Results, options: Options): Row[] {
  const { ours, baseline } = results.import;
  const perCreation = (label: Label, field: keyof CpuUse) => results.importCpu[label][field] / options.n;
  return [
    {
      metric: `(i) Import through the admin API, ${options.writers} writers, an eMSP receiving pushes: creations/s`,
      ours: thousands(ours.perSecond), baseline: thousands(baseline.perSecond), ratio: ratio(ours.perSecond, baseline.perSecond),
      target: '≥ 400/s', met: verdict(ours.perSecond >= 400),
    },
    both('(i) Import: p50 latency, ms', ours.p50, baseline.p50),
    both('(i) Import: p99 latency, ms', ours.p99, baseline.p99),
    both('(i) Import: server CPU per creation, ms', perCreation('ours', 'serverMs'), perCreation('baseline', 'serverMs'), 2),
    both('(i) Import: PostgreSQL CPU per creation, ms', perCreation('ours', 'dbMs'), perCreation('baseline', 'dbMs'), 2),
    { metric: '(i) Every location delivered to the eMSP, s after the last creation', ours: fixed(results.drainSeconds, 1), baseline: '—', ratio: '', target: '', met: '' },
  ];
}

/** (a) and (c) (and (b) when `reads` has it) for the list of `noun`; `when` marks the round ("'": after ANALYZE). */
export function readRows(reads: Reads | Results['analyzed'], options: Options, when: string, farOffset: number, noun = 'locations'): Row[] {
  const at100k = options.n >= 100_000;
  const pct = `${Math.round((farOffset / options.n) * 100)}%`;
  const syncRate = (label: Label) => median(reads.sync[label].map((s) => s.perSecond));
  const rows: Row[] = [
    {
      metric: `(a${when}) Full sync following Link, limit=${options.pageSize}: ${noun}/s (median of ${reads.sync.ours.length})`,
      ours: thousands(syncRate('ours')), baseline: thousands(syncRate('baseline')), ratio: ratio(syncRate('ours'), syncRate('baseline')),
      target: '≥ 0.50 of baseline', met: verdict(syncRate('ours') / syncRate('baseline') >= 0.5),
    },
    cpuRow(`(a${when}) Full sync: server CPU per page, ms`, reads.syncCpu, (l) => reads.sync[l].map((r) => r.pages), 'serverMs'),
    cpuRow(`(a${when}) Full sync: PostgreSQL CPU per page, ms`, reads.syncCpu, (l) => reads.sync[l].map((r) => r.pages), 'dbMs'),
  ];
  if ('load' in reads) {
    const rps = (label: Label) => median(reads.load[label].map((l) => l.requestsPerSecond));
    const p = (label: Label, key: 'p50' | 'p99') => median(reads.load[label].map((l) => l[key]));
    rows.push(
      {
        metric: `(b${when}) Single GET, ${options.connections} connections: req/s (median of ${options.rounds} × ${options.duration} s)`,
        ours: thousands(rps('ours')), baseline: thousands(rps('baseline')), ratio: ratio(rps('ours'), rps('baseline')),
        target: '≥ 0.50 of baseline', met: verdict(rps('ours') / rps('baseline') >= 0.5),
      },
      both(`(b${when}) Single GET: p50 latency, ms`, p('ours', 'p50'), p('baseline', 'p50')),
      both(`(b${when}) Single GET: p99 latency, ms`, p('ours', 'p99'), p('baseline', 'p99'), 1, '< 50 ms', verdict(p('ours', 'p99') < 50)),
      cpuRow(`(b${when}) Single GET: server CPU per request, ms`, reads.loadCpu, (l) => reads.load[l].map((r) => r.total), 'serverMs'),
      cpuRow(`(b${when}) Single GET: PostgreSQL CPU per request, ms`, reads.loadCpu, (l) => reads.load[l].map((r) => r.total), 'dbMs'),
    );
  }
  const { plain, cursor } = reads;
  const target = at100k ? '≤ 2 (N = 100,000)' : '≤ 2 at N = 100,000';
  rows.push(
    both(`(c${when}) Page at offset 0, ms (median of ${options.samples})`, plain.ours.offset0Ms, plain.baseline.offset0Ms, 2),
    both(`(c${when}) Page at offset ${thousands(farOffset)} (${pct}), \`?offset=\`, ms`, plain.ours.offsetFarMs, plain.baseline.offsetFarMs, 2),
    { metric: `(c${when}) Offset ${pct} / offset 0, \`?offset=\``, ours: fixed(plain.ours.ratio, 2), baseline: fixed(plain.baseline.ratio, 2), ratio: '', target, met: at100k ? verdict(plain.ours.ratio <= 2) : '—' },
    both(`(c${when}) Page at offset ${thousands(farOffset)} via the Link cursor, ms`, cursor.ours.offsetFarMs, cursor.baseline.offsetFarMs, 2),
    { metric: `(c${when}) Offset ${pct} / offset 0, Link cursor`, ours: fixed(cursor.ours.ratio, 2), baseline: fixed(cursor.baseline.ratio, 2), ratio: '', target, met: at100k ? verdict(cursor.ours.ratio <= 2) : '—' },
  );
  return rows;
}

/** The same page before and after ANALYZE: the node's cost must not depend on fresh statistics. */
export function statisticsRows(results: { stale: Results['analyzed']; analyzed: Results['analyzed'] }): Row[] {
  const page = (reads: Reads | Results['analyzed'], label: Label) => reads.plain[label].offset0Ms;
  const sync = (reads: Reads | Results['analyzed'], label: Label) => median(reads.sync[label].map((s) => s.seconds));
  const before = results.stale;
  const after = results.analyzed;
  return [
    {
      metric: '(c) Page at offset 0: without ANALYZE / after ANALYZE', ours: fixed(page(before, 'ours') / page(after, 'ours'), 2),
      baseline: fixed(page(before, 'baseline') / page(after, 'baseline'), 2), ratio: '', target: '≤ 1.5', met: verdict(page(before, 'ours') / page(after, 'ours') <= 1.5),
    },
    {
      // The first syncs after the import also read every row for the first time (hint bits, cold caches): not a statistics effect.
      metric: '(a) Full sync seconds: without ANALYZE (the first reads after the import) / after ANALYZE', ours: fixed(sync(before, 'ours') / sync(after, 'ours'), 2),
      baseline: fixed(sync(before, 'baseline') / sync(after, 'baseline'), 2), ratio: '', target: '', met: '',
    },
  ];
}

function memoryRows(results: Results, options: Options): Row[] {
  const at100k = options.n >= 100_000;
  const { memory, idleMemory, embedded } = results;
  const rows: Row[] = [
    {
      metric: '(d) Peak RSS (VmHWM) after all phases, MB', ours: fixed(memory.ours.peakMb, 0), baseline: fixed(memory.baseline.peakMb, 0),
      ratio: ratio(memory.ours.peakMb, memory.baseline.peakMb), target: at100k ? '< 300 MB (N = 100,000)' : '< 300 MB at N = 100,000', met: at100k ? verdict(memory.ours.peakMb < 300) : '—',
    },
    both('(d) RSS after start-up (idle), MB', idleMemory.ours.currentMb, idleMemory.baseline.currentMb, 0),
    both('(d) of which anonymous (heaps, WebAssembly, JIT code), MB', idleMemory.ours.anonMb, idleMemory.baseline.anonMb, 0),
    { metric: '(d) Peak RSS after start-up / import / (a) / (b) / (c) / ANALYZEd (a), (c), MB', ours: results.peaks.map((v) => v.toFixed(0)).join(' / '), baseline: '', ratio: '', target: '', met: '' },
  ];
  if (embedded) {
    const mb = (value: number) => ({ ours: fixed(value, 0), baseline: '—', ratio: '' });
    rows.push(
      { metric: `(e) Embedded database: RSS after a first start, MB`, ...mb(embedded.afterStart.currentMb), target: '', met: '' },
      { metric: `(e) Embedded: RSS after importing ${thousands(embedded.n)} locations, MB`, ...mb(embedded.afterImport.currentMb), target: '< 400 MB', met: verdict(embedded.afterImport.currentMb < 400) },
      { metric: '(e) Embedded: peak RSS (start and import), MB', ...mb(embedded.afterImport.peakMb), target: '', met: '' },
      { metric: `(e) Embedded: import creations/s (${options.writers} writers)`, ours: thousands(embedded.import.perSecond), baseline: '—', ratio: '', target: '', met: '' },
    );
  }
  return rows;
}

export function rows(results: Results, options: Options): Row[] {
  return [
    ...importRows(results, options),
    ...readRows(results.stale, options, '', results.farOffset),
    ...readRows(results.analyzed, options, "'", results.farOffset),
    ...statisticsRows(results),
    ...memoryRows(results, options),
  ];
}
