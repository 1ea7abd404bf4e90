import { readFileSync, writeFileSync } from 'node:fs';
import { deliveryLag, percentile } from './analyse';
import type { Collected } from './emsp-runner';
import type { LoadResult } from './load';

export interface PhaseFigures {
  offered: number;
  accepted: number;
  perSecond: number;
  conflicts: number;
  errors: string;
  skipped: number;
  adminP50: number;
  adminP99: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  missing: number;
  pairs: number;
  backwards: number;
  requestsPerChange: number;
}

/** The figures of one load phase, the lag over the partners in `partners` only. */
export function figures(load: LoadResult, collected: Collected, partners: number[], rate: number): PhaseFigures {
  const latencies = load.changes.map((c) => c.latencyMs);
  const lag = deliveryLag(load.changes, collected.receipts, partners);
  const requests = partners.reduce((sum, index) => sum + (collected.pushes[index] ?? 0), 0);
  return {
    offered: rate,
    accepted: load.changes.length,
    perSecond: load.changes.length / load.seconds,
    conflicts: load.conflicts,
    errors: Object.entries(load.errors).map(([status, count]) => `${count}× ${status}`).join(', ') || '0',
    skipped: load.skipped,
    adminP50: percentile(latencies, 50),
    adminP99: percentile(latencies, 99),
    lagP50: percentile(lag.lags, 50),
    lagP99: percentile(lag.lags, 99),
    lagMax: lag.lags.length > 0 ? Math.max(...lag.lags) : Number.NaN,
    missing: lag.missing,
    pairs: load.changes.length * partners.length,
    backwards: lag.backwards,
    requestsPerChange: load.changes.length === 0 ? Number.NaN : requests / (load.changes.length * partners.length),
  };
}

export const ms = (value: number): string => (Number.isNaN(value) ? '—' : value >= 100 ? value.toFixed(0) : value.toFixed(1));
export const num = (value: number, digits = 0): string => (Number.isNaN(value) ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
export const yes = (ok: boolean): string => (ok ? 'yes' : '**NO**');

const BEGIN = '<!-- bench:push:begin -->';
const END = '<!-- bench:push:end -->';

/**
 * Puts `section` between this benchmark's markers in docs/benchmarks.md, appending a "## Push" heading and
 * the markers at the end the first time. Nothing outside the markers is touched (other benchmarks own it).
 */
export function updateDoc(file: string, section: string): void {
  const text = readFileSync(file, 'utf8');
  const block = `${BEGIN}\n${section.trim()}\n${END}`;
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next = begin >= 0 && end > begin ? `${text.slice(0, begin)}${block}${text.slice(end + END.length)}` : `${text.replace(/\s*$/, '')}\n\n## Push\n\n${block}\n`;
  writeFileSync(file, next);
}
