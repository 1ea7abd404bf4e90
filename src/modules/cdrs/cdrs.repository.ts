import { Prisma, type Cdr as CdrRow } from '../../generated/prisma/client';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';
import { ownedBy, readJsonPage, type JsonItem } from '../../ocpi/json-page.sql';
import type { ChangeFeed } from '../../push/change-feed';

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

export type { JsonItem as CdrJson };

/** Where a CDR stands with one partner it is owed to: delivered with its receipt, or still pending or failed. */
export interface CdrDeliveryView {
  partner: string;
  status: 'DELIVERED' | 'PENDING' | 'FAILED';
  location?: string | null;
  delivered_at?: string;
  attempts?: number;
  last_error?: string | null;
  next_attempt_at?: string | null;
}

/** A CDR as push sees it: the record, and the receipts of the partners that acknowledged it, by partner id. */
export interface CdrForDelivery {
  record: CdrRecord;
  receipts: Map<string, unknown>;
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

const MODULE = 'cdrs';

export function createCdrsRepository(prisma: PrismaClient, now: () => Date, feed?: Pick<ChangeFeed, 'enqueue' | 'committed'>) {
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
        const stored = await prisma.$transaction(async (tx) => {
          if (await tx.cdr.findUnique({ where: { idKey: cdr.idKey }, select: { pk: true } })) throw new DuplicateCdrError();
          if (cdr.creditReferenceKey !== null) {
            const row = await tx.cdr.findUnique({ where: { idKey: cdr.creditReferenceKey }, include: { creditedBy: { select: { id: true } } } });
            checkCredited(row ? { ...toRecord(row), creditedById: row.creditedBy?.id } : undefined);
          }
          const { countryCode, partyId, id, idKey, tokenCountryCode, tokenPartyId, creditReferenceKey } = cdr;
          const data = cdr.data as Prisma.InputJsonValue;
          const created = toRecord(await tx.cdr.create({ data: { countryCode, partyId, id, idKey, tokenCountryCode, tokenPartyId, creditReferenceKey, data, lastUpdated: now() } }));
          // POSTed to its owner alone (push/owned-objects.ts for an owner that registers later).
          await feed?.enqueue(tx, MODULE, idKey, { country_code: tokenCountryCode, party_id: tokenPartyId });
          return created;
        });
        feed?.committed();
        return stored;
      } catch (error) {
        if (prismaCode(error) === 'P2002') throw await refusal(cdr);
        if (prismaCode(error) === 'P2003') throw new UnknownCreditReferenceError();
        throw error;
      }
    },

    /**
     * The CDRs of `keys` that exist, each with the receipts partners gave for it: once one did, it is
     * never POSTed again, even to a partner row of the same party that registered since.
     */
    async findForDelivery(keys: string[]): Promise<CdrForDelivery[]> {
      const rows = await prisma.cdr.findMany({ where: { idKey: { in: keys } } });
      if (rows.length === 0) return [];
      const receipts = await prisma.partnerObject.findMany({
        where: { module: MODULE, objectKey: { in: rows.map((row) => row.idKey) } },
        select: { objectKey: true, partnerId: true, snapshot: true },
      });
      return rows.map((row) => ({
        record: toRecord(row),
        receipts: new Map(receipts.filter((r) => r.objectKey === row.idKey).map((r) => [r.partnerId, r.snapshot as unknown])),
      }));
    },

    /** The CDR's deliveries: receipts first, then what is pending or failed. */
    async deliveriesOf(key: string): Promise<CdrDeliveryView[]> {
      const [receipts, queued] = await Promise.all([
        prisma.partnerObject.findMany({ where: { module: MODULE, objectKey: key }, orderBy: { ackedAt: 'asc' } }),
        prisma.delivery.findMany({ where: { module: MODULE, objectKey: key }, orderBy: { id: 'asc' } }),
      ]);
      return [
        ...receipts.map((r): CdrDeliveryView => ({
          partner: r.partnerId,
          status: 'DELIVERED',
          location: (r.snapshot as { location?: string | null } | null)?.location ?? null,
          delivered_at: r.ackedAt.toISOString(),
        })),
        ...queued.map((d): CdrDeliveryView => ({
          partner: d.partnerId,
          status: d.status,
          attempts: d.attempts,
          last_error: d.lastError,
          next_attempt_at: d.status === 'PENDING' ? d.nextAttemptAt.toISOString() : null,
        })),
      ];
    },

    /** The keys of the CDRs of these token parties that no partner has acknowledged (what an owner registering now is owed). */
    async undeliveredKeysOwnedBy(owners: { countryCode: string; partyId: string }[]): Promise<string[]> {
      if (owners.length === 0) return [];
      const rows = await raw.run<{ id_key: string }>(Prisma.sql`
        SELECT c.id_key FROM cdrs c
        WHERE (c.token_country_code, c.token_party_id) IN (${Prisma.join(owners.map((o) => Prisma.sql`(${o.countryCode}, ${o.partyId})`))})
          AND NOT EXISTS (SELECT 1 FROM partner_objects o WHERE o.module = ${MODULE} AND o.object_key = c.id_key)
        ORDER BY c.pk`);
      return rows.map((row) => row.id_key);
    },

    /**
     * A page in pk order (creation order, stable: CDRs never change), read on the pool as JSON text. A
     * plain offset is applied before the JSON is built, to the page's rows only.
     */
    list(filter: CdrListFilter, page: CdrPageRequest): Promise<Page<JsonItem>> {
      return readJsonPage(raw, { table: 'cdrs', where: filter.owners ? [ownedBy(filter.owners)] : [], ...filter, ...page });
    },
  };
}

export type CdrsRepository = ReturnType<typeof createCdrsRepository>;
