/**
 * One server's part of a run, the same for the node and the baseline: the sessions created through its admin API
 * until every owner holds its own, then the steady load of charging periods, the wait until every period reached
 * its owner, and the check of what each eMSP holds.
 */
import { importObjects } from '../locations/import';
import { cpuMeter } from '../push/cpu';
import type { Collected, HeldSession } from '../push/emsp-runner';
import type { Target } from '../push/load';
import type { RpcChild } from '../push/processes';
import { phaseFigures, verifyHeld } from './analyse';
import { sampleBackends } from './backends';
import { loadSessionEtags, periodChanges, sessionPath, type SessionSlot } from './load';
import type { RunSettings, ServerRun } from './report';
import { benchSession, emspParty, sessionId } from './seed';

/** Our party (the node's defaults, and the baseline's): the first segments of a session's key at its eMSP. */
const CPO = 'NL/CPO';

export const slotsFor = (settings: RunSettings): SessionSlot[] =>
  Array.from({ length: settings.sessions }, (_, i) => ({ id: sessionId(i), owner: i % settings.emsps, etag: '', periods: 0 }));

type Held = { sessions: number; periods: number }[];

/** Polls the eMSPs until `done(held)` or `timeoutMs`; the seconds it took, or undefined. */
async function waitFor(runner: RpcChild, done: (held: Held) => boolean, timeoutMs: number): Promise<number | undefined> {
  const started = Date.now();
  for (;;) {
    if (done(await runner.call<Held>('sessionsHeld'))) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function measureServer(target: Target, serverPid: number, runner: RpcChild, settings: RunSettings, db: string, log: (message: string) => void): Promise<ServerRun> {
  const slots = slotsFor(settings);
  const owned = Array.from({ length: settings.emsps }, (_, index) => slots.filter((s) => s.owner === index).length);
  const created = await importObjects({ baseUrl: target.baseUrl, path: sessionPath, headers: target.headers, created: 201 }, 0, settings.sessions - 1, 16, (i) => ({ id: sessionId(i), body: benchSession(i, settings.emsps) }));
  const heldAfterSeconds = await waitFor(runner, (held) => held.every((h, index) => h.sessions === (owned[index] ?? 0)), 60_000);
  if (heldAfterSeconds === undefined) throw new Error(`${target.label}: the owners did not hold their sessions within 60 s of their creation`);
  log(`${target.label}: ${settings.sessions} sessions created (${created.perSecond.toFixed(0)}/s), held by their owners ${heldAfterSeconds.toFixed(1)} s after the last`);

  await loadSessionEtags(target, slots);
  await runner.call('collect');
  log(`${target.label}: steady, a period per session every ${settings.periodSeconds} s (${(settings.sessions / settings.periodSeconds).toFixed(0)} PATCHes/s) for ${settings.duration} s`);
  const meter = await cpuMeter(db, { server: serverPid, eMSPs: runner.pid });
  const backends = await sampleBackends(db);
  const load = await periodChanges(target, slots, settings.periodSeconds, settings.duration, settings.clients);
  const backendSample = await backends.stop();
  const expected = slots.reduce((sum, s) => sum + s.periods, 0);
  const drainSeconds = await waitFor(runner, (held) => held.reduce((sum, h) => sum + h.periods, 0) >= expected, 60_000);
  const cpu = await meter.stop();
  const collected = await runner.call<Collected>('collect');
  const ownerOf = new Map(slots.map((s) => [s.id.toUpperCase(), s.owner]));
  const steady = phaseFigures(load, collected.sessionReceipts, ownerOf, settings.sessions / settings.periodSeconds);
  const held = await runner.call<HeldSession[][]>('heldSessions');
  const parties = owned.map((_, index) => `DE/${emspParty(index)}`);
  const verification = verifyHeld(held, slots, parties, CPO);
  log(`${target.label}: ${steady.accepted} PATCHes, admin p50/p99 ${steady.adminP50.toFixed(1)}/${steady.adminP99.toFixed(1)} ms, lag p50/p99 ${steady.lagP50.toFixed(0)}/${steady.lagP99.toFixed(0)} ms, end check ${verification.ok ? 'ok' : 'FAILED'}`);
  return { createdPerSecond: created.perSecond, heldAfterSeconds, steady, drainSeconds, verification, cpu, backends: backendSample };
}
