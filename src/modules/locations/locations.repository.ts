import type { Prisma } from '../../generated/prisma/client';
import type { PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';
import { diffTree, idKey, type LocationNode, type TreeChanges } from './location-tree';
import { toLocationNode, type LocationRow } from './locations.mapper';

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

/** The desired tree for the stored one (undefined when none), or a refusal thrown by the planner. */
export type LocationPlanner = (stored: LocationNode | undefined) => LocationNode;

export class ConcurrentWriteError extends Error {}

const treeInclude = {
  evses: { orderBy: { pk: 'asc' }, include: { connectors: { orderBy: { pk: 'asc' } } } },
} as const satisfies Prisma.LocationInclude;

const MAX_ATTEMPTS = 5;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'P2002';
}

/** Push hooks: record the change for delivery inside the write's transaction; say so after commit. */
export interface ChangeFeed {
  enqueue(tx: Tx, module: string, objectKey: string): Promise<void>;
  committed(): void;
}

export function createLocationsRepository(prisma: PrismaClient, now: () => Date, feed?: ChangeFeed) {
  const whereOf = (filter: LocationListFilter): Prisma.LocationWhereInput => ({
    ...(filter.publishedOnly ? { publish: true } : {}),
    ...(filter.dateFrom || filter.dateTo ? { lastUpdated: { gte: filter.dateFrom, lt: filter.dateTo } } : {}),
  });

  async function readTree(client: Tx | PrismaClient, countryCode: string, partyId: string, id: string): Promise<LocationNode | undefined> {
    const row = await client.location.findUnique({
      where: { countryCode_partyId_idKey: { countryCode, partyId, idKey: idKey(id) } },
      include: treeInclude,
    });
    return row ? toLocationNode(row as LocationRow) : undefined;
  }

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

  return {
    findTree: (countryCode: string, partyId: string, id: string) => readTree(prisma, countryCode, partyId, id),

    /**
     * Read, plan, compare-and-set, in one transaction; a concurrent writer makes it start over with
     * the fresh state, so the planner's checks (If-Match, staleness) always see what it replaces.
     */
    async mutate(countryCode: string, partyId: string, id: string, plan: LocationPlanner): Promise<{ before: LocationNode | undefined; changes: TreeChanges }> {
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await prisma.$transaction(async (tx) => {
            const stored = await readTree(tx, countryCode, partyId, id);
            const changes = diffTree(stored, plan(stored), now());
            if (changes.location !== 'none') {
              const pk = await apply(tx, stored, changes);
              await feed?.enqueue(tx, 'locations', idKey(id));
              const fresh = await readTree(tx, countryCode, partyId, id);
              changes.result = fresh ?? { ...changes.result, pk };
            }
            return { before: stored, changes };
          });
          if (outcome.changes.location !== 'none') feed?.committed();
          return outcome;
        } catch (error) {
          const retry = error instanceof ConcurrentWriteError || isUniqueViolation(error);
          if (!retry || attempt >= MAX_ATTEMPTS) throw error;
        }
      }
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

    /** A page in pk order: stable while objects change, so a full sync sees each object once. */
    async list(filter: LocationListFilter, page: LocationPageRequest): Promise<Page<LocationNode>> {
      const where = whereOf(filter);
      let after = page.after !== undefined ? BigInt(page.after) : undefined;
      if (after === undefined && page.offset > 0) {
        const previous = await prisma.location.findMany({ where, orderBy: { pk: 'asc' }, skip: page.offset - 1, take: 1, select: { pk: true } });
        after = previous[0]?.pk ?? BigInt('9223372036854775807');
      }
      const [rows, total] = await Promise.all([
        prisma.location.findMany({
          where: after !== undefined ? { AND: [where, { pk: { gt: after } }] } : where,
          orderBy: { pk: 'asc' },
          take: page.limit,
          include: treeInclude,
          relationLoadStrategy: 'join',
        }),
        prisma.location.count({ where }),
      ]);
      const items = rows.map((row) => toLocationNode(row as LocationRow));
      return { items, total, lastKey: items.at(-1)?.pk?.toString() };
    },
  };
}

export type LocationsRepository = ReturnType<typeof createLocationsRepository>;
