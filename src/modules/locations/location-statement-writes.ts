import type { Prisma } from '../../generated/prisma/client';
import type { RawQueries } from '../../platform/database';
import { diffTree, idKey, inStorageOrder, type LocationNode, type TreeChanges } from './location-tree';
import { parseTree, readTree } from './location-read.sql';
import { insertTreeSql, onlyUpdates, updateInPlaceSql, withInsertedKeys, type InsertedKeys } from './location-write.sql';
import type { ChangeFeed, LocationPlanner, MutateOutcome } from './location-writes';
import type { RecentTrees } from './recent-trees';

/** PostgreSQL's unique_violation, as the pool reports it (Prisma reports it as P2002). */
const UNIQUE_VIOLATION = '23505';

type Planned = ReturnType<LocationPlanner>;

/** The plan for a location that does not exist yet, or undefined when the planner refuses one (it needs the stored tree). */
function creationPlan(plan: LocationPlanner): Planned | undefined {
  try {
    return plan(undefined);
  } catch {
    return undefined;
  }
}

/**
 * The common writes without a transaction's round trips, each one statement: a new location (inserted
 * only if its id is still free; otherwise the same statement returns the stored tree), and a change
 * that only rewrites existing rows (an EVSE status change), applied only if the location's version is
 * still the one planned against. Undefined when the write needs the locking transaction instead: an
 * inserted or deleted row in a stored tree, a uid taken, or a lost race.
 */
export function createStatementWriter(raw: RawQueries, now: () => Date, trees: RecentTrees, feed?: ChangeFeed) {
  const enqueue = (id: string) => feed && ((onlyIf: Prisma.Sql) => feed.enqueueSql('locations', idKey(id), onlyIf));

  /** The single-statement write of `changes` to `stored`; undefined if it needs the transaction or lost the race. */
  async function writeChanges(stored: LocationNode, changes: TreeChanges, id: string): Promise<MutateOutcome | undefined> {
    if (!onlyUpdates(changes)) return undefined;
    const [row] = await raw.run<{ applied: number }>(updateInPlaceSql(stored, changes, enqueue(id)));
    if (row?.applied !== 1) return undefined;
    feed?.committed();
    return { before: stored, changes: { ...changes, result: inStorageOrder(changes.result) } };
  }

  async function writeFrom(stored: LocationNode, id: string, plan: LocationPlanner): Promise<MutateOutcome | undefined> {
    const { desired, ifChanged } = plan(stored);
    const changes = diffTree(stored, desired, now());
    if (changes.location === 'none') return { before: stored, changes };
    ifChanged?.();
    return writeChanges(stored, changes, id);
  }

  /** Inserts the planned location: the outcome, or else the tree stored under its id (undefined: a race or a uid taken). */
  async function create(planned: Planned, id: string): Promise<{ outcome: MutateOutcome } | { stored: LocationNode | undefined }> {
    const changes = diffTree(undefined, planned.desired, now());
    let keys: InsertedKeys | undefined;
    try {
      [keys] = await raw.run<InsertedKeys>(insertTreeSql(changes.result, enqueue(id)));
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return { stored: undefined };
      throw error;
    }
    if (!keys?.pk) return { stored: keys?.existing ? parseTree(keys.existing) : undefined };
    feed?.committed();
    return { outcome: { before: undefined, changes: { ...changes, result: withInsertedKeys(changes.result, keys) } } };
  }

  return async function write(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome | undefined> {
    const remembered = trees.get(countryCode, partyId, id);
    if (remembered) {
      // Only a write is taken from a remembered tree: its compare-and-set proves the tree was current.
      // A refusal or a no-op may come from a tree that is out of date, so those are decided again below.
      const written = await writeFrom(remembered, id, plan).catch(() => undefined);
      if (written && written.changes.location !== 'none') return written;
      trees.forget(countryCode, partyId, id);
    }
    const creation = remembered ? undefined : creationPlan(plan);
    let stored: LocationNode | undefined;
    if (creation) {
      creation.ifChanged?.();
      const created = await create(creation, id);
      if ('outcome' in created) return created.outcome;
      stored = created.stored;
    } else {
      stored = await readTree(raw, countryCode, partyId, id);
    }
    return stored && writeFrom(stored, id, plan);
  };
}
