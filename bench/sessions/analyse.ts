/** Push lag per accepted PATCH, requests per PATCH, and the check of what every eMSP holds at the end. */
import { percentile } from '../push/analyse';
import type { HeldSession, SessionReceipt } from '../push/emsp-runner';
import type { PeriodChange, PeriodLoad, SessionSlot } from './load';
import { periodStart } from './seed';

export interface PhaseFigures {
  offered: number;
  accepted: number;
  perSecond: number;
  conflicts: number;
  errors: string;
  skipped: number;
  adminP50: number;
  adminP99: number;
  adminMax: number;
  /** Admin p50 of the PATCHes answered in the first and in the last fifth of the phase (sessions hold more periods by then). */
  adminP50First: number;
  adminP50Last: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  /** Accepted PATCHes whose period never reached the owner. */
  missing: number;
  /** Times a period reached its owner again after its first receipt. */
  repeated: number;
  /** Requests to a sessions receiver of a session that eMSP does not own. */
  foreign: number;
  /** Requests at the eMSPs' sessions receivers per accepted PATCH. */
  requestsPerPatch: number;
}

/**
 * Push lag of each accepted PATCH: from the `last_updated` its answer carried to the first request at the session's
 * owner carrying that period (matched by session id and period start_date_time).
 */
export function phaseFigures(load: PeriodLoad, receipts: SessionReceipt[][], ownerOf: Map<string, number>, offered: number): PhaseFigures {
  const firstArrival = receipts.map(() => new Map<string, number>());
  let repeated = 0;
  let foreign = 0;
  let requests = 0;
  receipts.forEach((list, index) => {
    for (const [id, starts, at] of list) {
      requests += 1;
      if (ownerOf.get(id) !== index) foreign += 1;
      for (const start of starts) {
        const key = `${id}|${start}`;
        if (firstArrival[index]!.has(key)) repeated += 1;
        else firstArrival[index]!.set(key, at);
      }
    }
  });
  const lags: number[] = [];
  let missing = 0;
  for (const change of load.changes) {
    const at = firstArrival[change.owner]?.get(`${change.id.toUpperCase()}|${change.start}`);
    if (at === undefined) missing += 1;
    else lags.push(at - change.lastUpdated);
  }
  const latencies = load.changes.map((c: PeriodChange) => c.latencyMs);
  return {
    offered,
    accepted: load.changes.length,
    perSecond: load.changes.length / load.seconds,
    conflicts: load.conflicts,
    errors: Object.entries(load.errors).map(([status, count]) => `${count}× ${status}`).join(', ') || '0',
    skipped: load.skipped,
    adminP50: percentile(latencies, 50),
    adminP99: percentile(latencies, 99),
    adminP50First: percentile(load.changes.filter((c) => c.at < load.seconds / 5).map((c) => c.latencyMs), 50),
    adminP50Last: percentile(load.changes.filter((c) => c.at >= (load.seconds * 4) / 5).map((c) => c.latencyMs), 50),
    adminMax: latencies.length > 0 ? Math.max(...latencies) : Number.NaN,
    lagP50: percentile(lags, 50),
    lagP99: percentile(lags, 99),
    lagMax: lags.length > 0 ? Math.max(...lags) : Number.NaN,
    missing,
    repeated,
    foreign,
    requestsPerPatch: load.changes.length === 0 ? Number.NaN : requests / load.changes.length,
  };
}

export interface Verification {
  /** Per eMSP: sessions it holds / it owns. */
  held: { owned: number; holds: number }[];
  /** Sessions held by an eMSP that does not own them (by the id's owner or by the cdr_token's party). */
  foreign: number;
  /** Owned sessions an eMSP does not hold. */
  missingSessions: number;
  /** Held sessions whose periods are not exactly every period, each once, in order. */
  wrongPeriods: number;
  /** Periods held in all, and expected in all. */
  periods: number;
  expectedPeriods: number;
  ok: boolean;
}

/** Each eMSP holds exactly its own sessions, each with every period (its first, then every accepted PATCH's) exactly once. */
export function verifyHeld(held: HeldSession[][], slots: SessionSlot[], parties: string[], cpo: string): Verification {
  const out: Verification = { held: [], foreign: 0, missingSessions: 0, wrongPeriods: 0, periods: 0, expectedPeriods: 0, ok: false };
  held.forEach((sessions, index) => {
    const own = new Map(slots.filter((s) => s.owner === index).map((s) => [`${cpo}/${s.id.toUpperCase()}`, s]));
    out.held.push({ owned: own.size, holds: sessions.length });
    const seen = new Set<string>();
    for (const session of sessions) {
      const slot = own.get(session.key);
      if (!slot || session.tokenParty !== parties[index]) {
        out.foreign += 1;
        continue;
      }
      seen.add(session.key);
      out.periods += session.periodStarts.length;
      const expected = Array.from({ length: slot.periods }, (_, j) => periodStart(j));
      if (session.periodStarts.length !== expected.length || session.periodStarts.some((start, j) => start !== expected[j])) out.wrongPeriods += 1;
    }
    out.missingSessions += own.size - seen.size;
    for (const slot of own.values()) out.expectedPeriods += slot.periods;
  });
  out.ok = out.foreign === 0 && out.missingSessions === 0 && out.wrongPeriods === 0;
  return out;
}
