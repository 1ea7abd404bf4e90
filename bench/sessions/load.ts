/**
 * The steady load: every session gets a new charging period every `periodSeconds`, i.e. sessions / periodSeconds
 * admin PATCHes per second, paced by bench/push/load.ts (`paced`: round robin over the sessions, one client per
 * session at a time), each with If-Match from the previous answer about that session.
 */
import type { Agent } from 'node:http';
import { envelopeData, request } from '../push/http';
import { paced, type Target } from '../push/load';
import { periodPatch, periodStart } from './seed';

/** One session the load generator PATCHes: its owner (eMSP index), the ETag of the last answer, periods it has. */
export interface SessionSlot {
  id: string;
  owner: number;
  etag: string;
  periods: number;
}

/** One accepted PATCH: the session, the start of the period it appended, the answer's `last_updated`, its latency. */
export interface PeriodChange {
  id: string;
  owner: number;
  start: number;
  lastUpdated: number;
  latencyMs: number;
  /** When the answer came, s since the phase began. */
  at: number;
}

export interface PeriodLoad {
  seconds: number;
  skipped: number;
  changes: PeriodChange[];
  /** 412 answers (the ETag is refreshed by a GET and the PATCH retried). */
  conflicts: number;
  /** Other non-200 answers and transport errors, by status. */
  errors: Record<string, number>;
}

export const sessionPath = (id: string): string => `/admin/sessions/${encodeURIComponent(id)}`;

/** `sessions.length / periodSeconds` PATCHes per second for `seconds`, by `clients` concurrent admin clients. */
export async function periodChanges(target: Target, slots: SessionSlot[], periodSeconds: number, seconds: number, clients: number): Promise<PeriodLoad> {
  const result: PeriodLoad = { seconds, skipped: 0, changes: [], conflicts: 0, errors: {} };
  const started = performance.now();
  const error = (key: string): void => {
    result.errors[key] = (result.errors[key] ?? 0) + 1;
  };

  async function append(slot: SessionSlot, agent: Agent): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const url = `${target.baseUrl}${sessionPath(slot.id)}`;
      let reply;
      try {
        reply = await request('PATCH', url, { ...target.headers, 'If-Match': slot.etag }, periodPatch(slot.periods), 30_000, agent);
      } catch (failure) {
        return error((failure as Error).message.includes('timed out') ? 'timeout' : 'transport');
      }
      if (reply.status === 412) {
        result.conflicts += 1;
        const fresh = await request('GET', url, target.headers, undefined, 30_000, agent);
        slot.etag = fresh.headers.etag as string;
        slot.periods = ((envelopeData(fresh, `${target.label} GET ${slot.id}`) as { charging_periods?: unknown[] }).charging_periods ?? []).length;
        continue;
      }
      if (reply.status !== 200) return error(String(reply.status));
      const data = (JSON.parse(reply.body) as { data: { last_updated: string } }).data;
      result.changes.push({ id: slot.id, owner: slot.owner, start: periodStart(slot.periods), lastUpdated: Date.parse(data.last_updated), latencyMs: reply.ms, at: (performance.now() - started) / 1000 });
      slot.etag = reply.headers.etag as string;
      slot.periods += 1;
      return;
    }
  }

  const run = await paced(slots, slots.length / periodSeconds, seconds, clients, append);
  result.seconds = run.seconds;
  result.skipped = run.skipped;
  return result;
}

/** GETs every session once for its ETag and the number of periods it holds (`width` at a time). */
export async function loadSessionEtags(target: Target, slots: SessionSlot[], width = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < slots.length) {
        const slot = slots[next++]!;
        const reply = await request('GET', `${target.baseUrl}${sessionPath(slot.id)}`, target.headers);
        const data = envelopeData(reply, `${target.label} GET ${sessionPath(slot.id)}`) as { charging_periods?: unknown[] };
        slot.etag = reply.headers.etag as string;
        slot.periods = (data.charging_periods ?? []).length;
      }
    }),
  );
}
