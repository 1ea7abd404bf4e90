import { Prisma, type Cdr as CdrRow } from '../../generated/prisma/client';
import { iso, rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';

/** A stored CDR: `data` holds its OCPI fields in the spec's order, without `last_updated`. */
export interface CdrRecord {
  pk: bigint;
  id: string;
  idKey: string;
  /** The owner's party (the token's), upper-cased. */
  tokenCountryCode: string;
  tokenPartyId: string;
  creditReferenceKey: string | null;
  data: Record<string, unknown>;
  lastUpdated: Date;
  version: number;
}

/** What a creation stores (the repository adds the pk, `last_updated` and the version). */
export type NewCdr = Pick<CdrRecord, 'id' | 'idKey' | 'tokenCountryCode' | 'tokenPartyId' | 'creditReferenceKey' | 'data'> & {
  countryCode: string;
  partyId: string;
};

/** The CDR a credit names, with the id of the credit that already credited it, if any. */
export type CreditedCdr = CdrRecord & { creditedById: string | undefined };

export interface CdrListFilter {
  /** Only CDRs whose token belongs to one of these parties (upper-cased); undefined: every CDR. */
  owners?: { countryCode: string; partyId: string }[];
  dateFrom?: Date;
  dateTo?: Date;
}

export interface CdrPageRequest {
  offset: number;
  limit: number;
  /** Keyset position: continue after this pk. */
  after?: string;
}

/** A served CDR as JSON text, with its key for the next page's cursor. */
export interface CdrJson {
  pk: bigint;
  json: string;
}

export class DuplicateCdrError extends Error {}
export class AlreadyCreditedError extends Error {}
export class UnknownCreditReferenceError extends Error {}

const prismaCode = (error: unknown) => (error as { code?: string }).code;

function toRecord(row: CdrRow): CdrRecord {
  return {
    pk: row.pk,
    id: row.id,
    idKey: row.idKey,
    tokenCountryCode: row.tokenCountryCode,
    tokenPartyId: row.tokenPartyId,
    creditReferenceKey: row.creditReferenceKey,
    data: row.data as Record<string, unknown>,
    lastUpdated: row.lastUpdated,
    version: row.rowVersion,
  };
}

/** The served CDR of row `c` as JSON text: the stored `data` text with `last_updated` appended (as tariffs do). */
const CDR_JSON = Prisma.sql`left(c.data::text, -1) || ',"last_updated":"' || ${iso('c.last_updated')} || '"}'`;

export function createCdrsRepository(prisma: PrismaClient, now: () => Date) {
  const raw = rawQueriesOf(prisma);

  /** Which unique index refused a creation, told from what is stored once the transaction is gone. */
  async function refusal(cdr: NewCdr): Promise<Error> {
    if (await prisma.cdr.findUnique({ where: { idKey: cdr.idKey }, select: { pk: true } })) return new DuplicateCdrError();
    return cdr.creditReferenceKey !== null ? new AlreadyCreditedError() : new DuplicateCdrError();
  }

  return {
    async find(key: string): Promise<CdrRecord | undefined> {
      const row = await prisma.cdr.findUnique({ where: { idKey: key } });
      return row ? toRecord(row) : undefined;
    },

    /**
     * Stores a new CDR, never replacing one. A credit CDR's reference is read in the same transaction and
     * handed to `checkCredited` (which may refuse); the unique indexes on `id_key` and
     * `credit_reference_key` settle races: of two concurrent creations only one commits.
     */
    async create(cdr: NewCdr, checkCredited: (credited: CreditedCdr | undefined) => void): Promise<CdrRecord> {
      try {
        return await prisma.$transaction(async (tx) => {
          if (await tx.cdr.findUnique({ where: { idKey: cdr.idKey }, select: { pk: true } })) throw new DuplicateCdrError();
          if (cdr.creditReferenceKey !== null) {
            const row = await tx.cdr.findUnique({ where: { idKey: cdr.creditReferenceKey }, include: { creditedBy: { select: { id: true } } } });
            checkCredited(row ? { ...toRecord(row), creditedById: row.creditedBy?.id } : undefined);
          }
          const { countryCode, partyId, id, idKey, tokenCountryCode, tokenPartyId, creditReferenceKey } = cdr;
          const data = cdr.data as Prisma.InputJsonValue;
          return toRecord(await tx.cdr.create({ data: { countryCode, partyId, id, idKey, tokenCountryCode, tokenPartyId, creditReferenceKey, data, lastUpdated: now() } }));
        });
      } catch (error) {
        if (prismaCode(error) === 'P2002') throw await refusal(cdr);
        if (prismaCode(error) === 'P2003') throw new UnknownCreditReferenceError();
        throw error;
      }
    },

    /**
     * A page in pk order (creation order, stable: CDRs never change), read on the pool as JSON text. A
     * plain offset is applied before the JSON is built, to the page's rows only.
     */
    async list(filter: CdrListFilter, page: CdrPageRequest): Promise<Page<CdrJson>> {
      if (filter.owners && filter.owners.length === 0) return { items: [], total: 0, more: false, lastKey: undefined };
      const owned = filter.owners
        ? Prisma.sql`(c.token_country_code, c.token_party_id) IN (${Prisma.join(filter.owners.map((o) => Prisma.sql`(${o.countryCode}, ${o.partyId})`))})`
        : Prisma.sql`TRUE`;
      const where = Prisma.join([
        owned,
        filter.dateFrom ? Prisma.sql`c.last_updated >= ${filter.dateFrom}` : Prisma.sql`TRUE`,
        filter.dateTo ? Prisma.sql`c.last_updated < ${filter.dateTo}` : Prisma.sql`TRUE`,
      ], ' AND ');
      const after = page.after !== undefined ? Prisma.sql`c.pk > ${page.after}::bigint` : Prisma.sql`TRUE`;
      const [rows, [count]] = await Promise.all([
        raw.run<{ pk: string | bigint; json: string }>(Prisma.sql`
          SELECT c.pk, ${CDR_JSON} AS json FROM (
            SELECT c.pk, c.data, c.last_updated FROM cdrs c WHERE ${where} AND ${after}
            ORDER BY c.pk OFFSET ${page.after !== undefined ? 0 : page.offset} LIMIT ${page.limit + 1}) c
          ORDER BY c.pk`),
        raw.run<{ total: number }>(Prisma.sql`SELECT count(*)::int AS total FROM cdrs c WHERE ${where}`),
      ]);
      const items = rows.map((row) => ({ pk: BigInt(row.pk), json: row.json }));
      const more = items.length > page.limit;
      if (more) items.pop();
      return { items, total: count!.total, more, lastKey: items.at(-1)?.pk.toString() };
    },
  };
}

export type CdrsRepository = ReturnType<typeof createCdrsRepository>;
