import type { Receipt } from './emsp-runner';
import type { Change } from './load';

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Lag {
  /** Per (change, partner): first receipt at the partner of that EVSE with last_updated >= the change's, minus the change's last_updated, ms. */
  lags: number[];
  /** (change, partner) pairs the partner never received a state at least as new as. */
  missing: number;
  /** Receipts that carried an older last_updated for an EVSE than one the partner had already received. */
  backwards: number;
}

function byUid<T>(items: T[], uid: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = uid(item);
    if (!out.has(key)) out.set(key, []);
    out.get(key)!.push(item);
  }
  return out;
}

/**
 * Delivery lag from commit (the `last_updated` the admin answer carried) to receipt, for the partners
 * whose index is in `partners`. Receipts are walked in arrival order; each one satisfies every change of
 * its EVSE not yet satisfied whose last_updated is at most the receipt's (a newer state includes the older changes).
 */
export function deliveryLag(changes: Change[], receipts: Receipt[][], partners: number[]): Lag {
  const changesByUid = byUid(changes, (c) => c.uid);
  for (const list of changesByUid.values()) list.sort((a, b) => a.lastUpdated - b.lastUpdated);
  const out: Lag = { lags: [], missing: 0, backwards: 0 };
  for (const index of partners) {
    const receiptsByUid = byUid(receipts[index] ?? [], (r) => r[0]);
    for (const [uid, list] of changesByUid) {
      const arrived = (receiptsByUid.get(uid) ?? []).sort((a, b) => a[2] - b[2]);
      let next = 0;
      let newest = -Infinity;
      for (const [, lastUpdated, at] of arrived) {
        if (lastUpdated < newest) out.backwards += 1;
        newest = Math.max(newest, lastUpdated);
        while (next < list.length && list[next]!.lastUpdated <= lastUpdated) out.lags.push(at - list[next++]!.lastUpdated);
      }
      out.missing += list.length - next;
    }
  }
  return out;
}
