import { Prisma, type Tariff as TariffRow } from '../../generated/prisma/client';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';
import type { ChangeFeed } from '../../push/change-feed';
import { readJsonPage, type JsonItem } from '../../ocpi/json-page.sql';

/** A stored tariff: `data` holds its OCPI fields in the spec's order, without `last_updated`. */
export interface TariffRecord {
  pk: bigint;
  id: string;
  idKey: string;
  data: Record<string, unknown>;
  lastUpdated: Date;
  version: number;
}

export interface TariffListFilter {
  /** Only tariffs a connector of a published location names (the anonymous open-data view). */
  publishedOnly: boolean;
  dateFrom?: Date;
  dateTo?: Date;
}

export interface TariffPageRequest {
  offset: number;
  limit: number;
  /** Keyset position: continue after this pk. */
  after?: string;
}

/** A connector naming a tariff, by the ids an operator knows it under. */
export interface TariffReference {
  locationId: string;
  evseUid: string;
  connectorId: string;
}

/** What a write stores, or undefined to leave the stored tariff as it is. */
export type TariffPlanner = (stored: TariffRecord | undefined) => { id: string; countryCode: string; partyId: string; data: Record<string, unknown> } | undefined;

export class TariffInUseError extends Error {
  constructor(readonly references: TariffReference[]) {
    super('tariff is named by connectors');
  }
}

const MAX_ATTEMPTS = 5;
const MODULE = 'tariffs';

const prismaCode = (error: unknown) => (error as { code?: string }).code;
class ConcurrentTariffWrite extends Error {}

function toRecord(row: TariffRow): TariffRecord {
  return { pk: row.pk, id: row.id, idKey: row.idKey, data: row.data as Record<string, unknown>, lastUpdated: row.lastUpdated, version: row.rowVersion };
}

/** Tariffs a connector of a published location names (connector_tariffs is indexed by tariff key). */
const NAMED_BY_PUBLISHED = Prisma.sql`EXISTS (SELECT 1 FROM connector_tariffs ct JOIN connectors c ON c.pk = ct.connector_pk
  JOIN evses e ON e.pk = c.evse_pk JOIN locations l ON l.pk = e.location_pk WHERE ct.tariff_key = t.id_key AND l.publish)`;

export type { JsonItem as TariffJson };

export function createTariffsRepository(prisma: PrismaClient, now: () => Date, feed?: Pick<ChangeFeed, 'enqueue' | 'committed'>) {
  const raw = rawQueriesOf(prisma);
  async function attemptWrite(key: string, plan: TariffPlanner) {
    return prisma.$transaction(async (tx) => {
      const row = await tx.tariff.findUnique({ where: { idKey: key } });
      const stored = row ? toRecord(row) : undefined;
      const desired = plan(stored);
      if (!desired) return { tariff: stored!, created: false, changed: false };
      const fields = { data: desired.data as Prisma.InputJsonValue, lastUpdated: now(), rowVersion: (stored?.version ?? 0) + 1 };
      let tariff: TariffRecord;
      if (!stored) {
        const { id, countryCode, partyId } = desired;
        tariff = toRecord(await tx.tariff.create({ data: { id, idKey: key, countryCode, partyId, ...fields } }));
      } else {
        const updated = await tx.tariff.updateMany({ where: { pk: stored.pk, rowVersion: stored.version }, data: fields });
        if (updated.count !== 1) throw new ConcurrentTariffWrite();
        tariff = { ...stored, data: desired.data, lastUpdated: fields.lastUpdated, version: fields.rowVersion };
      }
      await feed?.enqueue(tx, MODULE, key);
      return { tariff, created: !stored, changed: true };
    });
  }

  return {
    async find(key: string): Promise<TariffRecord | undefined> {
      const row = await prisma.tariff.findUnique({ where: { idKey: key } });
      return row ? toRecord(row) : undefined;
    },

    async findMany(keys: string[]): Promise<TariffRecord[]> {
      const rows = await prisma.tariff.findMany({ where: { idKey: { in: keys } } });
      return rows.map(toRecord);
    },

    /** Which of `keys` name no stored tariff. */
    async missing(keys: string[]): Promise<string[]> {
      if (keys.length === 0) return [];
      const found = await prisma.tariff.findMany({ where: { idKey: { in: keys } }, select: { idKey: true } });
      const existing = new Set(found.map((row) => row.idKey));
      return keys.filter((key) => !existing.has(key));
    },

    /**
     * Read, plan, write and enqueue the push in one transaction; the version is the compare-and-set
     * guard, and a lost race (a concurrent creation or update) plans again on fresh state.
     */
    async write(key: string, plan: TariffPlanner): Promise<{ tariff: TariffRecord; created: boolean }> {
      for (let attempts = 1; ; attempts++) {
        try {
          const outcome = await attemptWrite(key, plan);
          if (outcome.changed) feed?.committed();
          return outcome;
        } catch (error) {
          const lostRace = error instanceof ConcurrentTariffWrite || prismaCode(error) === 'P2002';
          if (!lostRace || attempts >= MAX_ATTEMPTS) throw error;
        }
      }
    },

    /**
     * Deletes the tariff unless a connector names it (`TariffInUseError`, with up to 11 of them: enough
     * to tell whether there are more than 10): the foreign key of connector_tariffs decides, even against
     * a connector written concurrently. `check` may refuse first.
     */
    async remove(key: string, check: (stored: TariffRecord | undefined) => void): Promise<TariffRecord> {
      try {
        const removed = await prisma.$transaction(async (tx) => {
          const row = await tx.tariff.findUnique({ where: { idKey: key } });
          const stored = row ? toRecord(row) : undefined;
          check(stored);
          const references = await tx.connectorTariff.findMany({
            where: { tariffKey: key },
            take: 11,
            orderBy: { connectorPk: 'asc' },
            select: { connector: { select: { id: true, evse: { select: { uid: true, location: { select: { id: true } } } } } } },
          });
          if (references.length > 0) {
            throw new TariffInUseError(references.map(({ connector: c }) => ({ locationId: c.evse.location.id, evseUid: c.evse.uid, connectorId: c.id })));
          }
          await tx.tariff.delete({ where: { pk: stored!.pk } });
          await feed?.enqueue(tx, MODULE, key);
          return stored!;
        });
        feed?.committed();
        return removed;
      } catch (error) {
        if (prismaCode(error) === 'P2003') throw new TariffInUseError([]);
        throw error;
      }
    },

    /** A page of the list as JSON text (ocpi/json-page.sql.ts). */
    list(filter: TariffListFilter, page: TariffPageRequest): Promise<Page<JsonItem>> {
      return readJsonPage(raw, { table: 'tariffs', where: filter.publishedOnly ? [NAMED_BY_PUBLISHED] : [], ...filter, ...page });
    },

    /** One aggregate over the tariffs published connectors name: changes with any change to them or to that set. */
    async publishedStamp(): Promise<string> {
      const [row] = await raw.run<{ stamp: string }>(Prisma.sql`SELECT concat_ws('.', count(*), sum(t.row_version), sum(t.pk),
        (extract(epoch FROM max(t.last_updated)) * 1000)::bigint) AS stamp FROM tariffs t WHERE ${NAMED_BY_PUBLISHED}`);
      return row!.stamp;
    },

    async allKeys(): Promise<string[]> {
      const rows = await prisma.tariff.findMany({ select: { idKey: true }, orderBy: { pk: 'asc' } });
      return rows.map((row) => row.idKey);
    },
  };
}

export type TariffsRepository = ReturnType<typeof createTariffsRepository>;
