import { Agent } from 'node:http';
import { envelopeData, request } from './http';

/** One EVSE the load generator changes, with the ETag of the last answer about it. */
export interface EvseSlot {
  locationId: string;
  uid: string;
  etag: string;
  status: string;
}

export interface Target {
  label: string;
  baseUrl: string;
  headers: Record<string, string>;
}

/** One accepted change: which EVSE, the `last_updated` the admin answer carried, and how long the call took. */
export interface Change {
  uid: string;
  lastUpdated: number;
  latencyMs: number;
}

export interface LoadResult {
  seconds: number;
  /** Changes the generator tried to start at the target rate but could not (every client busy). */
  skipped: number;
  changes: Change[];
  /** 412 answers (If-Match lost a race; the ETag is refreshed and the change retried). */
  conflicts: number;
  /** Other non-200 answers and transport errors, by status. */
  errors: Record<string, number>;
}

const evsePath = (slot: EvseSlot) => `/admin/locations/${encodeURIComponent(slot.locationId)}/evses/${encodeURIComponent(slot.uid)}`;

/** GETs every EVSE once for its ETag and status (`width` at a time). */
export async function loadEtags(target: Target, slots: EvseSlot[], width = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < slots.length) {
        const slot = slots[next++]!;
        const reply = await request('GET', `${target.baseUrl}${evsePath(slot)}`, target.headers);
        const data = envelopeData(reply, `${target.label} GET ${evsePath(slot)}`) as { status: string };
        slot.etag = reply.headers.etag as string;
        slot.status = data.status;
      }
    }),
  );
}

/** How a paced run went: its length, and the turns it could not start on time (every client busy). */
export interface Paced {
  seconds: number;
  skipped: number;
}

/**
 * `rate` calls of `work` per second for `seconds`, by `clients` concurrent clients sharing a keep-alive agent.
 * Each call takes the next slot (round robin) that no client is working on. A client that falls behind the
 * schedule does not make up more than one turn per client (the turns given up are counted as skipped).
 */
export async function paced<S>(slots: S[], rate: number, seconds: number, clients: number, work: (slot: S, agent: Agent) => Promise<void>): Promise<Paced> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const interval = 1000 / rate;
  const started = performance.now();
  const end = started + seconds * 1000;
  let nextSlot = started;
  let skipped = 0;
  let cursor = 0;
  const busy = new Set<S>();

  /** The next free moment on the schedule, or undefined when the run is over. */
  const takeTurn = async (): Promise<boolean> => {
    const now = performance.now();
    const earliest = now - interval * clients;
    if (nextSlot < earliest) {
      skipped += Math.floor((earliest - nextSlot) / interval);
      nextSlot = earliest;
    }
    const slot = nextSlot;
    nextSlot += interval;
    if (slot >= end) return false;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    return true;
  };

  const pick = (): S => {
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[(cursor + i) % slots.length]!;
      if (!busy.has(slot)) {
        cursor = (cursor + i + 1) % slots.length;
        return slot;
      }
    }
    throw new Error('more clients than slots');
  };

  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (await takeTurn()) {
        const slot = pick();
        busy.add(slot);
        await work(slot, agent);
        busy.delete(slot);
      }
    }),
  );
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, skipped: skipped + Math.max(0, Math.floor((end - nextSlot) / interval)) };
}

/**
 * `rate` EVSE status changes per second for `seconds`, by `clients` concurrent clients over keep-alive
 * connections (`paced`). Each change goes to the next EVSE that no client is changing, with If-Match
 * from the previous answer about that EVSE; AVAILABLE and CHARGING alternate, so every change changes
 * something.
 */
export async function statusChanges(target: Target, slots: EvseSlot[], rate: number, seconds: number, clients: number): Promise<LoadResult> {
  const result: LoadResult = { seconds, skipped: 0, changes: [], conflicts: 0, errors: {} };
  const error = (key: string): void => {
    result.errors[key] = (result.errors[key] ?? 0) + 1;
  };

  async function change(slot: EvseSlot, agent: Agent): Promise<void> {
    const status = slot.status === 'AVAILABLE' ? 'CHARGING' : 'AVAILABLE';
    for (let attempt = 1; attempt <= 3; attempt++) {
      let reply;
      try {
        reply = await request('PATCH', `${target.baseUrl}${evsePath(slot)}`, { ...target.headers, 'If-Match': slot.etag }, { status }, 30_000, agent);
      } catch (failure) {
        error((failure as Error).message.includes('timed out') ? 'timeout' : 'transport');
        return;
      }
      if (reply.status === 412) {
        result.conflicts += 1;
        const fresh = await request('GET', `${target.baseUrl}${evsePath(slot)}`, target.headers, undefined, 30_000, agent);
        slot.etag = fresh.headers.etag as string;
        slot.status = (envelopeData(fresh, `${target.label} GET`) as { status: string }).status;
        continue;
      }
      if (reply.status !== 200) return error(String(reply.status));
      const data = JSON.parse(reply.body).data as { last_updated: string; status: string };
      slot.etag = reply.headers.etag as string;
      slot.status = data.status;
      result.changes.push({ uid: slot.uid, lastUpdated: Date.parse(data.last_updated), latencyMs: reply.ms });
      return;
    }
  }

  const run = await paced(slots, rate, seconds, clients, change);
  result.seconds = run.seconds;
  result.skipped = run.skipped;
  return result;
}
