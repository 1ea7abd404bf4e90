import AsyncLock from 'async-lock';
import type { ChangeFeed } from '../../push/change-feed';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import { idKey, type LocationNode, type TreeChanges } from './location-tree';
import { createStatementWriter } from './location-statement-writes';
import { createTransactionWriter } from './location-transaction-writes';
import { createRecentTrees } from './recent-trees';

/**
 * The desired tree for the stored one (undefined when none); the planner throws to refuse.
 * `ifChanged` runs only when the desired tree differs from the stored one: checks that must not
 * refuse a write that changes nothing (e.g. a stale `last_updated` on an identical body).
 */
export type LocationPlanner = (stored: LocationNode | undefined) => { desired: LocationNode; ifChanged?: () => void };

export interface MutateOutcome {
  before: LocationNode | undefined;
  changes: TreeChanges;
}

export class ConcurrentWriteError extends Error {}

/** A unique key (an EVSE uid) is taken by another location, even after retrying on fresh state. */
export class DuplicateKeyError extends Error {}

export type { ChangeFeed };

/**
 * Lock, read, plan, compare-and-set: one statement where it can be (location-statement-writes.ts),
 * a locking transaction otherwise. Writers of one location take turns in this process (so the second
 * writes from the tree the first left), and on the row lock across processes; the compare-and-set on
 * the location's version is the guard that holds regardless, so the planner's checks (If-Match,
 * staleness) always see what they replace.
 */
export function createLocationWriter(prisma: PrismaClient, now: () => Date, recentTreeBytes: number, feed?: ChangeFeed) {
  const trees = createRecentTrees(recentTreeBytes);
  const inStatement = createStatementWriter(rawQueriesOf(prisma), now, trees, feed);
  const inTransaction = createTransactionWriter(prisma, now, feed);
  const writers = new AsyncLock({ maxPending: Infinity });

  async function mutateNow(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome> {
    const outcome = (await inStatement(countryCode, partyId, id, plan)) ?? (await inTransaction(countryCode, partyId, id, plan));
    // A location just created is not remembered: an import's every creation evicted a remembered tree,
    // old-generation garbage that raised the process's peak memory by 50-80 MB before a full collection.
    // Its first update reads it once; from then on the trees that change are the ones remembered.
    const current = outcome.changes.location === 'none' ? outcome.before : outcome.changes.result;
    if (current && outcome.before) trees.remember(current);
    return outcome;
  }

  return {
    mutate(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome> {
      return writers.acquire(`${countryCode}/${partyId}/${idKey(id)}`, () => mutateNow(countryCode, partyId, id, plan));
    },
    recentTrees: trees.stats,
  };
}
