import { Prisma } from '../generated/prisma/client';
import { iso, type RawQueries } from '../platform/database';
import type { Page } from './pagination';

/** A served object as JSON text, with its key for the next page's cursor. */
export interface JsonItem {
  pk: bigint;
  json: string;
}

/** A list of a table whose `json` column `data` holds each object as served, without `last_updated`. */
export interface JsonPageQuery {
  table: 'tariffs' | 'sessions' | 'cdrs' | 'tokens';
  /** Conditions on the table's rows, aliased `t`. */
  where: Prisma.Sql[];
  dateFrom?: Date;
  dateTo?: Date;
  offset: number;
  limit: number;
  /** Keyset position: continue after this pk. */
  after?: string;
}

/**
 * The served object of row `t` as JSON text: the stored `json` text (compact, in the spec's field order,
 * as JSON.stringify wrote it) with `last_updated` appended. A full sync is pages of these: built as
 * objects and serialized again, each page cost the node 3-4x the baseline's CPU (docs/benchmarks.md, Tariffs).
 */
const OBJECT_JSON = Prisma.sql`left(t.data::text, -1) || ',"last_updated":"' || ${iso('t.last_updated')} || '"}'`;

/** Rows whose token belongs to one of `owners` (upper-cased parties); none when there are none. */
export function ownedBy(owners: { countryCode: string; partyId: string }[]): Prisma.Sql {
  if (owners.length === 0) return Prisma.sql`FALSE`;
  return Prisma.sql`(t.token_country_code, t.token_party_id) IN (${Prisma.join(owners.map((o) => Prisma.sql`(${o.countryCode}, ${o.partyId})`))})`;
}

/**
 * A page in pk order (stable while objects change, so a full sync sees each once), read on the pool as
 * JSON text, with the count beside it. A plain offset is applied in a subquery over plain columns, so JSON
 * is built for the page's rows only (with OFFSET beside the JSON expression, every skipped row's was built).
 */
export async function readJsonPage(raw: RawQueries, query: JsonPageQuery): Promise<Page<JsonItem>> {
  const where = Prisma.join([
    ...query.where,
    query.dateFrom ? Prisma.sql`t.last_updated >= ${query.dateFrom}` : Prisma.sql`TRUE`,
    query.dateTo ? Prisma.sql`t.last_updated < ${query.dateTo}` : Prisma.sql`TRUE`,
  ], ' AND ');
  const table = Prisma.raw(query.table);
  const after = query.after !== undefined ? Prisma.sql`t.pk > ${query.after}::bigint` : Prisma.sql`TRUE`;
  const [rows, [count]] = await Promise.all([
    raw.run<{ pk: string | bigint; json: string }>(Prisma.sql`
      SELECT t.pk, ${OBJECT_JSON} AS json FROM (
        SELECT t.pk, t.data, t.last_updated FROM ${table} t WHERE ${where} AND ${after}
        ORDER BY t.pk OFFSET ${query.after !== undefined ? 0 : query.offset} LIMIT ${query.limit + 1}) t
      ORDER BY t.pk`),
    raw.run<{ total: number }>(Prisma.sql`SELECT count(*)::int AS total FROM ${table} t WHERE ${where}`),
  ]);
  const items = rows.map((row) => ({ pk: BigInt(row.pk), json: row.json }));
  const more = items.length > query.limit;
  if (more) items.pop();
  return { items, total: count!.total, more, lastKey: items.at(-1)?.pk.toString() };
}
