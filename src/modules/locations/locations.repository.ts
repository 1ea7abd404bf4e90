import AsyncLock from 'async-lock';
import { LRUCache } from 'lru-cache';
import { Prisma } from '../../generated/prisma/client';
import { LOCATION_JSON } from './location-json.sql';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';
import { diffTree, idKey, type LocationNode, type TreeChanges } from './location-tree';
import { toLocationNode, type LocationRow } from './locations.mapper';
import { onlyUpdates, updateInPlaceSql } from './location-write.sql';

type Tx = Prisma.TransactionClient;

export interface LocationListFilter {
  publishedOnly: boolean;
  dateFrom?: Date;
  dateTo?: Date;
}

export interface LocationPageRequest {
  offset: number;
  limit: number;
  /** Keyset position: continue after this pk. */
  after?: string;
}

/** A served location as JSON text, with what the read paths need beside it. */
export interface LocationJson {
  pk: bigint;
  version: number;
  publish: boolean;
  json: string;
}

/**
 * The desired tree for the stored one (undefined when none); the planner throws to refuse.
 * `ifChanged` runs only when the desired tree differs from the stored one: checks that must not
 * refuse a write that changes nothing (e.g. a stale `last_updated` on an identical body).
 */
export type LocationPlanner = (stored: LocationNode | undefined) => { desired: LocationNode; ifChanged?: () => void };

export class ConcurrentWriteError extends Error {}

/** A unique key (an EVSE uid) is taken by another location, even after retrying on fresh state. */
export class DuplicateKeyError extends Error {}

const treeInclude = {
  evses: { orderBy: { pk: 'asc' }, include: { connectors: { orderBy: { pk: 'asc' } } } },
} as const satisfies Prisma.LocationInclude;

const MAX_ATTEMPTS = 5;
const RECENT_TREES = 10_000;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'P2002';
}

/** Push hooks: record the change for delivery inside the write's transaction; say so after commit. */
export interface ChangeFeed {
  enqueue(tx: Tx, module: string, objectKey: string): Promise<void>;
  /** The same as a statement to embed, applied only if `onlyIf` holds. */
  enqueueSql(module: string, objectKey: string, onlyIf: Prisma.Sql): Prisma.Sql;
  committed(): void;
}

/** One location as JSON text by its key; `.text` turns the placeholders into `$1`..`$3`, computed once. */
const FIND_JSON_SQL = Prisma.sql`SELECT l.pk, l.row_version AS version, l.publish, ${LOCATION_JSON} AS json FROM locations l
  WHERE l.country_code = ${''} AND l.party_id = ${''} AND l.id_key = ${''}`.text;

/** A LocationJson row as `pg` returns it (int8 as text), or as Prisma does (BigInt) on the fallback path. */
type JsonRow = Omit<LocationJson, 'pk'> & { pk: string | bigint };

const byPk = (a: { pk?: bigint }, b: { pk?: bigint }) => (a.pk! < b.pk! ? -1 : a.pk! > b.pk! ? 1 : 0);

/** Children in primary-key order, as a read returns them (every row has its key: nothing was inserted). */
function inStorageOrder(tree: LocationNode): LocationNode {
  return { ...tree, evses: tree.evses.map((evse) => ({ ...evse, connectors: [...evse.connectors].sort(byPk) })).sort(byPk) };
}

export interface MutateOutcome {
  before: LocationNode | undefined;
  changes: TreeChanges;
}

export function createLocationsRepository(prisma: PrismaClient, now: () => Date, feed?: ChangeFeed) {
  const raw = rawQueriesOf(prisma);
  /** Trees as this process last wrote them, so the next update of one can skip reading it. */
  const recentTrees = new LRUCache<string, LocationNode>({ max: RECENT_TREES });
  /**
   * This process's writers of one location take turns, so the second writes from the tree the first
   * left (its compare-and-set then holds) instead of losing the race and starting over.
   */
  const writers = new AsyncLock({ maxPending: Infinity });
  const whereOf = (filter: LocationListFilter): Prisma.LocationWhereInput => ({
    ...(filter.publishedOnly ? { publish: true } : {}),
    ...(filter.dateFrom || filter.dateTo ? { lastUpdated: { gte: filter.dateFrom, lt: filter.dateTo } } : {}),
  });

  async function readTree(client: Tx | PrismaClient, countryCode: string, partyId: string, id: string): Promise<LocationNode | undefined> {
    // One statement, one snapshot: separate reads per level could mix two versions of the tree.
    const row = await client.location.findUnique({
      relationLoadStrategy: 'join',
      where: { countryCode_partyId_idKey: { countryCode, partyId, idKey: idKey(id) } },
      include: treeInclude,
    });
    return row ? toLocationNode(row as LocationRow) : undefined;
  }

  /**
   * The common write (an EVSE status change, say) without a transaction's round trips: read, plan,
   * then one statement that applies only if the root's version is still the one read. Undefined when
   * the write needs the locking transaction instead: a creation, an inserted or deleted row, or a
   * lost race (concurrent writers of one location then queue on the row lock).
   */
  async function updateInPlace(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome | undefined> {
    const key = `${countryCode}/${partyId}/${idKey(id)}`;
    const remembered = recentTrees.get(key);
    if (remembered) {
      // Only a write is taken from a remembered tree: its compare-and-set proves the tree was current.
      // A refusal or a no-op may come from a tree that is out of date, so those are decided again below.
      const written = await writeFrom(remembered, id, plan).catch(() => undefined);
      if (written) return written;
      recentTrees.delete(key);
    }
    const stored = await readTree(prisma, countryCode, partyId, id);
    if (!stored) return undefined;
    remember(stored);
    const { desired, ifChanged } = plan(stored);
    const changes = diffTree(stored, desired, now());
    if (changes.location === 'none') return { before: stored, changes };
    ifChanged?.();
    return writeChanges(stored, changes, id);
  }

  async function writeFrom(stored: LocationNode, id: string, plan: LocationPlanner): Promise<MutateOutcome | undefined> {
    const { desired, ifChanged } = plan(stored);
    const changes = diffTree(stored, desired, now());
    if (changes.location === 'none') return undefined;
    ifChanged?.();
    return writeChanges(stored, changes, id);
  }

  /** The single-statement write of `changes` to `stored`; undefined if it needs the transaction or lost the race. */
  async function writeChanges(stored: LocationNode, changes: TreeChanges, id: string): Promise<MutateOutcome | undefined> {
    if (!onlyUpdates(changes)) return undefined;
    const also = feed && ((applied: Prisma.Sql) => feed.enqueueSql('locations', idKey(id), applied));
    const [row] = await raw.run<{ applied: number }>(updateInPlaceSql(stored, changes, also));
    if (row?.applied !== 1) return undefined;
    feed?.committed();
    const result = inStorageOrder(changes.result);
    remember(result);
    return { before: stored, changes: { ...changes, result } };
  }

  const remember = (tree: LocationNode) => recentTrees.set(`${tree.countryCode}/${tree.partyId}/${idKey(tree.id)}`, tree);

  /** Writes the changes; the root row's version is the compare-and-set guard for the whole tree. */
  async function apply(tx: Tx, stored: LocationNode | undefined, changes: TreeChanges): Promise<bigint> {
    const result = changes.result;
    let locationPk = stored?.pk;
    const row = { publish: result.publish, data: result.data as Prisma.InputJsonValue, lastUpdated: result.lastUpdated, rowVersion: result.version };
    if (changes.location === 'insert') {
      const created = await tx.location.create({
        data: { countryCode: result.countryCode, partyId: result.partyId, id: result.id, idKey: idKey(result.id), ...row },
      });
      locationPk = created.pk;
    } else if (changes.location === 'update') {
      const updated = await tx.location.updateMany({ where: { pk: stored!.pk, rowVersion: stored!.version }, data: row });
      if (updated.count !== 1) throw new ConcurrentWriteError();
    }
    const evsePks = new Map((stored?.evses ?? []).map((e) => [idKey(e.uid), e.pk as bigint]));
    for (const { node, action } of changes.evses) {
      const data = { status: node.status, data: node.data as Prisma.InputJsonValue, lastUpdated: node.lastUpdated, rowVersion: node.version };
      if (action === 'insert') {
        const created = await tx.evse.create({ data: { locationPk: locationPk!, uid: node.uid, uidKey: idKey(node.uid), ...data } });
        evsePks.set(idKey(node.uid), created.pk);
      } else {
        await tx.evse.update({ where: { pk: node.pk! }, data });
      }
    }
    if (changes.deletedConnectorPks.length > 0) await tx.connector.deleteMany({ where: { pk: { in: changes.deletedConnectorPks } } });
    for (const { evseUid, node, action } of changes.connectors) {
      const data = { data: node.data as Prisma.InputJsonValue, lastUpdated: node.lastUpdated, rowVersion: node.version };
      if (action === 'insert') {
        await tx.connector.create({ data: { evsePk: evsePks.get(idKey(evseUid))!, id: node.id, idKey: idKey(node.id), ...data } });
      } else {
        await tx.connector.update({ where: { pk: node.pk! }, data });
      }
    }
    return locationPk!;
  }

  async function mutateNow(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome> {
    const optimistic = await updateInPlace(countryCode, partyId, id, plan);
    if (optimistic) return optimistic;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await prisma.$transaction(async (tx) => {
          // Writers of one location queue here instead of failing each other's compare-and-set.
          await tx.$queryRaw`SELECT pk FROM locations WHERE country_code = ${countryCode} AND party_id = ${partyId} AND id_key = ${idKey(id)} FOR UPDATE`;
          const stored = await readTree(tx, countryCode, partyId, id);
          const { desired, ifChanged } = plan(stored);
          const changes = diffTree(stored, desired, now());
          if (changes.location !== 'none') {
            ifChanged?.();
            const pk = await apply(tx, stored, changes);
            await feed?.enqueue(tx, 'locations', idKey(id));
            // Only new rows lack the primary keys the result carries; an update (a status change, say) needs no re-read.
            const inserted = changes.location === 'insert' || [...changes.evses, ...changes.connectors].some((c) => c.action === 'insert');
            if (inserted) changes.result = (await readTree(tx, countryCode, partyId, id)) ?? { ...changes.result, pk };
            else changes.result = inStorageOrder(changes.result);
          }
          return { before: stored, changes };
        });
        if (outcome.changes.location !== 'none') feed?.committed();
        const current = outcome.changes.location === 'none' ? outcome.before : outcome.changes.result;
        if (current) remember(current);
        return outcome;
      } catch (error) {
        const duplicate = isUniqueViolation(error);
        if (duplicate && attempt >= MAX_ATTEMPTS) throw new DuplicateKeyError('unique key taken', { cause: error });
        if (!(duplicate || error instanceof ConcurrentWriteError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  return {
    findTree: (countryCode: string, partyId: string, id: string) => readTree(prisma, countryCode, partyId, id),

    /**
     * Lock, read, plan, compare-and-set, in one transaction (or one statement, see `updateInPlace`).
     * Writers of one location take turns in this process, and on the row lock across processes; the
     * compare-and-set on its version is the guard that holds regardless (a lost race, e.g. two
     * creations, starts over on fresh state), so the planner's checks (If-Match, staleness) always
     * see what they replace.
     */
    mutate(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<MutateOutcome> {
      return writers.acquire(`${countryCode}/${partyId}/${idKey(id)}`, () => mutateNow(countryCode, partyId, id, plan));
    },

    async allIds(): Promise<string[]> {
      const rows = await prisma.location.findMany({ select: { idKey: true }, orderBy: { pk: 'asc' } });
      return rows.map((row) => row.idKey);
    },

    /** EVSE uids are unique across the platform: uid -> id of the location holding it, for those that exist. */
    async locationIdsOfEvses(uids: string[]): Promise<Map<string, string>> {
      if (uids.length === 0) return new Map();
      const rows = await prisma.evse.findMany({
        where: { uidKey: { in: uids.map(idKey) } },
        select: { uid: true, location: { select: { id: true } } },
      });
      return new Map(rows.map((row) => [row.uid, row.location.id]));
    },

    /** The sender's hot path: one prepared statement on the pool under Prisma, without its client runtime (docs/benchmarks.md). */
    async findJson(countryCode: string, partyId: string, id: string): Promise<LocationJson | undefined> {
      const rows = await raw.query<JsonRow>(FIND_JSON_SQL, [countryCode, partyId, idKey(id)]);
      const row = rows[0];
      return row && { pk: BigInt(row.pk), version: row.version, publish: row.publish, json: row.json };
    },

    /** A page in pk order: stable while objects change, so a full sync sees each object once. */
    async list(filter: LocationListFilter, page: LocationPageRequest): Promise<Page<LocationJson>> {
      const where = whereOf(filter);
      let after = page.after !== undefined ? BigInt(page.after) : undefined;
      if (after === undefined && page.offset > 0) {
        const previous = await prisma.location.findMany({ where, orderBy: { pk: 'asc' }, skip: page.offset - 1, take: 1, select: { pk: true } });
        after = previous[0]?.pk ?? BigInt('9223372036854775807');
      }
      const conditions = [
        filter.publishedOnly ? Prisma.sql`l.publish` : Prisma.sql`TRUE`,
        filter.dateFrom ? Prisma.sql`l.last_updated >= ${filter.dateFrom}` : Prisma.sql`TRUE`,
        filter.dateTo ? Prisma.sql`l.last_updated < ${filter.dateTo}` : Prisma.sql`TRUE`,
        after !== undefined ? Prisma.sql`l.pk > ${after}` : Prisma.sql`TRUE`,
      ];
      const [items, total] = await Promise.all([
        prisma.$queryRaw<LocationJson[]>`
          SELECT l.pk, l.row_version AS version, l.publish, ${LOCATION_JSON} AS json FROM locations l
          WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY l.pk LIMIT ${page.limit + 1}`,
        prisma.location.count({ where }),
      ]);
      const more = items.length > page.limit;
      if (more) items.pop();
      return { items, total, more, lastKey: items.at(-1)?.pk.toString() };
    },
  };
}

export type LocationsRepository = ReturnType<typeof createLocationsRepository>;
