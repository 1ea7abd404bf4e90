import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Row {
  metric: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

export function table(rows: Row[]): string {
  const lines = [
    '| Metric | Ours | Baseline | Ratio (ours / baseline) | Target | Met? |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.metric} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`),
  ];
  return lines.join('\n');
}

export const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');
export const verdict = (ok: boolean | undefined): string => (ok === undefined ? '—' : ok ? 'yes' : '**NO**');

const DOC_HEADER = `# Benchmarks

Measured by scripts under \`bench/\` (not part of the tests). Each run replaces its own section below
(marked by HTML comments); the interpretation underneath the results is written by hand.
`;

/**
 * Writes `section` into `file` between the markers named by `key`, replacing an earlier run with the same key,
 * or inserting it before the marker `<!-- bench:insert-results-above -->` (or at the end) when there is none.
 */
export function updateDoc(file: string, key: string, section: string): void {
  const begin = `<!-- ${key}:begin -->`;
  const end = `<!-- ${key}:end -->`;
  const block = `${begin}\n${section.trim()}\n${end}`;
  mkdirSync(path.dirname(file), { recursive: true });
  const current = existsSync(file) ? readFileSync(file, 'utf8') : DOC_HEADER;
  let next: string;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  if (from >= 0 && to > from) {
    next = current.slice(0, from) + block + current.slice(to + end.length);
  } else {
    const anchor = '<!-- bench:insert-results-above -->';
    const at = current.indexOf(anchor);
    next = at >= 0 ? `${current.slice(0, at)}${block}\n\n${current.slice(at)}` : `${current.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, next);
}
