import { Prisma } from '../../generated/prisma/client';
import { LOCATION_JSON } from './location-json.sql';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';
import { idKey, type LocationNode } from './location-tree';
import { readTree } from './location-read.sql';
import { createLocationWriter, type ChangeFeed } from './location-writes';

export { ConcurrentWriteError, DuplicateKeyError, type ChangeFeed, type LocationPlanner, type MutateOutcome } from './location-writes';

/** The recent trees' default budget (location-writes.ts): a few thousand typical locations. */
export const DEFAULT_RECENT_TREE_BYTES = 16 * 1024 * 1024;

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

/** One location as JSON text by its key; `.text` turns the placeholders into `$1`..`$3`, computed once. */
const FIND_JSON_SQL = Prisma.sql`SELECT l.pk, l.row_version AS version, l.publish, ${LOCATION_JSON} AS json FROM locations l
  WHERE l.country_code = ${''} AND l.party_id = ${''} AND l.id_key = ${''}`.text;

/** A LocationJson row as `pg` returns it (int8 as text), or as Prisma does (BigInt) on the fallback path. */
type JsonRow = Omit<LocationJson, 'pk'> & { pk: string | bigint };

/**
 * Which location holds each of the EVSE uid keys `$1`: one unique-key lookup per key. Written as a join,
 * the statement prepared while the tables were nearly empty kept a hash join over two sequential scans
 * (6 ms at 13,000 locations; PostgreSQL replans only when statistics change).
 */
export const EVSE_OWNERS_SQL = `SELECT e.uid, l.id FROM unnest($1::text[]) AS k(uid_key)
  CROSS JOIN LATERAL (SELECT uid, location_pk FROM evses WHERE uid_key = k.uid_key LIMIT 1) e
  JOIN locations l ON l.pk = e.location_pk`;

export function createLocationsRepository(prisma: PrismaClient, now: () => Date, feed?: ChangeFeed, recentTreeBytes = DEFAULT_RECENT_TREE_BYTES) {
  const raw = rawQueriesOf(prisma);
  const writer = createLocationWriter(prisma, now, recentTreeBytes, feed);

  return {
    findTree: (countryCode: string, partyId: string, id: string): Promise<LocationNode | undefined> => readTree(raw, countryCode, partyId, id),

    /** See location-writes.ts. */
    mutate: writer.mutate,
    recentTrees: writer.recentTrees,

    async allIds(): Promise<string[]> {
      const rows = await prisma.location.findMany({ select: { idKey: true }, orderBy: { pk: 'asc' } });
      return rows.map((row) => row.idKey);
    },

    /** EVSE uids are unique across the platform: uid -> id of the location holding it, for those that exist. */
    async locationIdsOfEvses(uids: string[]): Promise<Map<string, string>> {
      if (uids.length === 0) return new Map();
      const rows = await raw.query<{ uid: string; id: string }>(EVSE_OWNERS_SQL, [uids.map(idKey)]);
      return new Map(rows.map((row) => [row.uid, row.id]));
    },

    /** The sender's hot path: one prepared statement on the pool under Prisma, without its client runtime (docs/benchmarks.md). */
    async findJson(countryCode: string, partyId: string, id: string): Promise<LocationJson | undefined> {
      const rows = await raw.query<JsonRow>(FIND_JSON_SQL, [countryCode, partyId, idKey(id)]);
      const row = rows[0];
      return row && { pk: BigInt(row.pk), version: row.version, publish: row.publish, json: row.json };
    },

    /**
     * A page in pk order: stable while objects change, so a full sync sees each object once. Read on the
     * pool (like the single GET): a full sync is a thousand pages of 100 locations' JSON text.
     */
    async list(filter: LocationListFilter, page: LocationPageRequest): Promise<Page<LocationJson>> {
      const matches = [
        filter.publishedOnly ? Prisma.sql`l.publish` : Prisma.sql`TRUE`,
        filter.dateFrom ? Prisma.sql`l.last_updated >= ${filter.dateFrom}` : Prisma.sql`TRUE`,
        filter.dateTo ? Prisma.sql`l.last_updated < ${filter.dateTo}` : Prisma.sql`TRUE`,
      ];
      const where = Prisma.join(matches, ' AND ');
      let after = page.after;
      if (after === undefined && page.offset > 0) {
        const [previous] = await raw.run<{ pk: string }>(Prisma.sql`
          SELECT l.pk::text AS pk FROM locations l WHERE ${where} ORDER BY l.pk OFFSET ${page.offset - 1} LIMIT 1`);
        after = previous?.pk ?? '9223372036854775807';
      }
      const [rows, [count]] = await Promise.all([
        raw.run<JsonRow>(Prisma.sql`
          SELECT l.pk, l.row_version AS version, l.publish, ${LOCATION_JSON} AS json FROM locations l
          WHERE ${where} AND ${after !== undefined ? Prisma.sql`l.pk > ${after}::bigint` : Prisma.sql`TRUE`}
          ORDER BY l.pk LIMIT ${page.limit + 1}`),
        raw.run<{ total: number }>(Prisma.sql`SELECT count(*)::int AS total FROM locations l WHERE ${where}`),
      ]);
      const items = rows.map((row) => ({ pk: BigInt(row.pk), version: row.version, publish: row.publish, json: row.json }));
      const more = items.length > page.limit;
      if (more) items.pop();
      return { items, total: count!.total, more, lastKey: items.at(-1)?.pk.toString() };
    },

    /** Published locations after pk `after` in pk order, as served JSON text (the open-data feed's keyset page). */
    publishedPage(after: string | undefined, limit: number): Promise<{ pk: string; json: string }[]> {
      return raw.run(Prisma.sql`SELECT l.pk::text AS pk, ${LOCATION_JSON} AS json FROM locations l
        WHERE l.publish AND ${after !== undefined ? Prisma.sql`l.pk > ${after}::bigint` : Prisma.sql`TRUE`} ORDER BY l.pk LIMIT ${limit}`);
    },

    /**
     * One aggregate over the published locations that changes with any change to them or to the published
     * set: every write bumps a row's version and `last_updated`, and a child's change bumps its location's.
     */
    async publishedStamp(): Promise<string> {
      const [row] = await raw.run<{ stamp: string }>(Prisma.sql`SELECT concat_ws('.', count(*), sum(l.row_version), sum(l.pk),
        (extract(epoch FROM max(l.last_updated)) * 1000)::bigint) AS stamp FROM locations l WHERE l.publish`);
      return row!.stamp;
    },
  };
}

export type LocationsRepository = ReturnType<typeof createLocationsRepository>;
