/** The sessions benchmark's table and its section of docs/benchmarks.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { CpuUse } from '../push/cpu';
import { fixed, table, thousands, updateDoc, verdict, type Row } from '../locations/report';
import type { PhaseFigures, Verification } from './analyse';
import { describeBackends, type BackendSample } from './backends';

export const ADMIN_P99_TARGET_MS = 100;
export const LAG_P99_TARGET_MS = 1000;

/** One server's run: creation, the steady phase, the drain and the end check. */
export interface ServerRun {
  /** Session creations per second through the admin API, and seconds from the last one until every owner held all. */
  createdPerSecond: number;
  heldAfterSeconds: number;
  steady: PhaseFigures;
  /** Seconds from the end of the load until every owner held every period (undefined: not within the wait). */
  drainSeconds: number | undefined;
  verification: Verification;
  cpu: CpuUse;
  backends: BackendSample;
}

export interface RunSettings {
  sessions: number;
  emsps: number;
  periodSeconds: number;
  duration: number;
  clients: number;
}

const ms = (value: number) => (Number.isFinite(value) ? (value >= 100 ? value.toFixed(0) : value.toFixed(1)) : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? fixed(a / b, 2) : '—');
const row = (metric: string, ours: string, baseline: string, r = '', target = '', met = ''): Row => ({ metric, ours, baseline, ratio: r, target, met });
const cpuPerPatch = (run: ServerRun) => (1000 * ((run.cpu.seconds.server ?? 0) + (run.cpu.seconds.postgres ?? 0))) / Math.max(1, run.steady.accepted);
const cpuSplit = (run: ServerRun) => ['server', 'postgres', 'eMSPs', 'load generator'].map((role) => fixed(run.cpu.seconds[role] ?? Number.NaN)).join(' / ');
const checked = (v: Verification) =>
  `${v.ok ? 'yes' : '**NO**'}: ${v.held.map((h) => `${h.holds}/${h.owned}`).join(', ')} held/owned; ${thousands(v.periods)} of ${thousands(v.expectedPeriods)} periods; ` +
  `${v.foreign} foreign, ${v.missingSessions} missing, ${v.wrongPeriods} with wrong periods`;

export function rows(s: RunSettings, ours: ServerRun, base: ServerRun): Row[] {
  const [o, b] = [ours.steady, base.steady];
  const rate = s.sessions / s.periodSeconds;
  return [
    row(`Creation: ${thousands(s.sessions)} ACTIVE sessions PUT through the admin API (16 writers): sessions/s`, thousands(ours.createdPerSecond), thousands(base.createdPerSecond), ratio(ours.createdPerSecond, base.createdPerSecond)),
    row('Creation: every owner held all its sessions, s after the last PUT', fixed(ours.heldAfterSeconds), fixed(base.heldAfterSeconds)),
    row(`Steady (${s.duration} s, a period per session every ${s.periodSeconds} s, target ${fixed(rate, 0)} PATCHes/s): PATCHes/s accepted`, fixed(o.perSecond), fixed(b.perSecond), ratio(o.perSecond, b.perSecond), `${fixed(rate, 0)}`, verdict(o.perSecond >= rate * 0.95)),
    row('Steady: PATCHes accepted / 412 conflicts / other errors / turns skipped (every client busy)', `${thousands(o.accepted)} / ${o.conflicts} / ${o.errors} / ${o.skipped}`, `${thousands(b.accepted)} / ${b.conflicts} / ${b.errors} / ${b.skipped}`),
    row('Steady: admin PATCH latency p50, ms', ms(o.adminP50), ms(b.adminP50), ratio(o.adminP50, b.adminP50)),
    row('Steady: admin PATCH latency p99, ms', ms(o.adminP99), ms(b.adminP99), ratio(o.adminP99, b.adminP99), `< ${ADMIN_P99_TARGET_MS} ms`, verdict(o.adminP99 < ADMIN_P99_TARGET_MS)),
    row('Steady: admin PATCH latency max, ms', ms(o.adminMax), ms(b.adminMax), ratio(o.adminMax, b.adminMax)),
    row('Steady: admin PATCH latency p50 in the first / last fifth of the phase, ms (the sessions hold more periods by the end)', `${ms(o.adminP50First)} / ${ms(o.adminP50Last)}`, `${ms(b.adminP50First)} / ${ms(b.adminP50Last)}`),
    row('Steady: push lag p50, ms (answer\'s last_updated → the owner receives the period)', ms(o.lagP50), ms(b.lagP50), ratio(o.lagP50, b.lagP50)),
    row('Steady: push lag p99, ms', ms(o.lagP99), ms(b.lagP99), ratio(o.lagP99, b.lagP99), `< ${thousands(LAG_P99_TARGET_MS)} ms`, verdict(o.lagP99 < LAG_P99_TARGET_MS && o.missing === 0)),
    row('Steady: push lag max, ms / accepted PATCHes whose period never reached the owner', `${ms(o.lagMax)} / ${o.missing}`, `${ms(b.lagMax)} / ${b.missing}`, '', 'none missing', verdict(o.missing === 0)),
    row('Steady: requests at the eMSPs\' sessions receivers per accepted PATCH', fixed(o.requestsPerPatch, 2), fixed(b.requestsPerPatch, 2), ratio(o.requestsPerPatch, b.requestsPerPatch)),
    row('Steady: periods received again / requests to an eMSP that does not own the session', `${o.repeated} / ${o.foreign}`, `${b.repeated} / ${b.foreign}`, '', '0 / 0', verdict(o.repeated === 0 && o.foreign === 0)),
    row('Every period at its owner, s after the load stopped', ours.drainSeconds === undefined ? '> 60' : fixed(ours.drainSeconds), base.drainSeconds === undefined ? '> 60' : fixed(base.drainSeconds)),
    row(`End check: each of the ${s.emsps} eMSPs holds exactly its own sessions, each with every period once, in order`, checked(ours.verification), checked(base.verification), '', 'all', verdict(ours.verification.ok)),
    row('Steady: server + PostgreSQL CPU per accepted PATCH (load + drain), ms', fixed(cpuPerPatch(ours), 2), fixed(cpuPerPatch(base), 2), ratio(cpuPerPatch(ours), cpuPerPatch(base))),
    row('Steady: CPU s, server / PostgreSQL (bench database) / eMSPs / load generator (load + drain)', cpuSplit(ours), cpuSplit(base)),
    row('Steady: all cores busy (everything on the machine), %', fixed(ours.cpu.machineBusy, 0), fixed(base.cpu.machineBusy, 0)),
    row('Steady: the server\'s PostgreSQL connections, mean per 100 ms sample, by state; main waits', describeBackends(ours.backends), describeBackends(base.backends)),
  ];
}

export function section(command: string, context: string[], settings: RunSettings, ours: ServerRun, base: ServerRun): string {
  return [`Command: \`${command}\``, '', ...context.flatMap((line) => [line, '']), table(rows(settings, ours, base))].join('\n');
}

const KEY = 'bench:sessions';

/** Writes the run between this benchmark's markers, adding a "## Sessions" heading and the markers at the end the first time. */
export function updateSessionsDoc(file: string, markdown: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!current.includes(`<!-- ${KEY}:begin -->`)) writeFileSync(file, `${current.trimEnd()}\n\n## Sessions\n\n<!-- ${KEY}:begin -->\n<!-- ${KEY}:end -->\n`);
  updateDoc(file, KEY, markdown);
}
