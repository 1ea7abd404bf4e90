import type { Prisma, Token as TokenRow } from '../../generated/prisma/client';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';
import { readJsonPage, type JsonItem } from '../../ocpi/json-page.sql';
import type { TokenKey } from './tokens.mapper';

/** A stored token: `data` holds its OCPI fields in the spec's order, without `last_updated`. */
export interface TokenRecord {
  pk: bigint;
  key: TokenKey;
  data: Record<string, unknown>;
  /** The eMSP's own `last_updated`. */
  lastUpdated: Date;
  version: number;
  partnerId: string | null;
}

/** What a write stores, or undefined to leave the stored token as it is. */
export type TokenPlanner = (stored: TokenRecord | undefined) => { data: Record<string, unknown>; lastUpdated: Date; partnerId: string | null } | undefined;

export interface TokenListRequest {
  dateFrom?: Date;
  dateTo?: Date;
  offset: number;
  limit: number;
  after?: string;
}

const MAX_ATTEMPTS = 5;
const prismaCode = (error: unknown) => (error as { code?: string }).code;
class ConcurrentTokenWrite extends Error {}

function toRecord(row: TokenRow): TokenRecord {
  const key = { countryCode: row.countryCode, partyId: row.partyId, uidKey: row.uidKey, type: row.type as TokenKey['type'] };
  return { pk: row.pk, key, data: row.data as Record<string, unknown>, lastUpdated: row.lastUpdated, version: row.rowVersion, partnerId: row.partnerId };
}

interface RawTokenRow {
  pk: string;
  country_code: string;
  party_id: string;
  uid_key: string;
  type: string;
  partner_id: string | null;
  data: Record<string, unknown>;
  last_updated: Date;
  row_version: number;
}

const FIND_BY_UID = 'SELECT pk, country_code, party_id, uid_key, type, partner_id, data, last_updated, row_version FROM tokens WHERE uid_key = $1 AND type = $2';

const whereKey = (key: TokenKey) => ({ countryCode_partyId_uidKey_type: key });

export type { JsonItem as TokenJson };

export function createTokensRepository(prisma: PrismaClient) {
  const raw = rawQueriesOf(prisma);

  async function attemptWrite(key: TokenKey, plan: TokenPlanner) {
    return prisma.$transaction(async (tx) => {
      const row = await tx.token.findUnique({ where: whereKey(key) });
      const stored = row ? toRecord(row) : undefined;
      const desired = plan(stored);
      if (!desired) return { token: stored, created: false, changed: false };
      const fields = { data: desired.data as Prisma.InputJsonValue, lastUpdated: desired.lastUpdated, partnerId: desired.partnerId, rowVersion: (stored?.version ?? 0) + 1 };
      if (!stored) return { token: toRecord(await tx.token.create({ data: { ...key, ...fields } })), created: true, changed: true };
      const updated = await tx.token.updateMany({ where: { pk: stored.pk, rowVersion: stored.version }, data: fields });
      if (updated.count !== 1) throw new ConcurrentTokenWrite();
      const token: TokenRecord = { ...stored, data: desired.data, lastUpdated: desired.lastUpdated, partnerId: desired.partnerId, version: fields.rowVersion };
      return { token, created: false, changed: true };
    });
  }

  return {
    async find(key: TokenKey): Promise<TokenRecord | undefined> {
      const row = await prisma.token.findUnique({ where: whereKey(key) });
      return row ? toRecord(row) : undefined;
    },

    /**
     * Every stored token of this uid (upper-cased) and type, whatever its party: `POST /admin/authorize`'s
     * lookup, on every authorization, so plain SQL (platform/database.ts `rawQueriesOf`).
     */
    async findByUid(uidKey: string, type: TokenKey['type']): Promise<TokenRecord[]> {
      const rows = await raw.query<RawTokenRow>(FIND_BY_UID, [uidKey, type]);
      return rows.map((row) => ({
        pk: BigInt(row.pk),
        key: { countryCode: row.country_code, partyId: row.party_id, uidKey: row.uid_key, type: row.type as TokenKey['type'] },
        data: row.data,
        lastUpdated: row.last_updated,
        version: row.row_version,
        partnerId: row.partner_id,
      }));
    },

    /**
     * Read, plan and write in one transaction; the version is the compare-and-set guard, and a lost race
     * (a concurrent creation or update) plans again on fresh state. `token` is undefined only when the
     * planner left a missing token missing.
     */
    async write(key: TokenKey, plan: TokenPlanner): Promise<{ token: TokenRecord | undefined; created: boolean; changed: boolean }> {
      for (let attempts = 1; ; attempts++) {
        try {
          return await attemptWrite(key, plan);
        } catch (error) {
          const lostRace = error instanceof ConcurrentTokenWrite || prismaCode(error) === 'P2002';
          if (!lostRace || attempts >= MAX_ATTEMPTS) throw error;
        }
      }
    },

    /** A page of every stored token as JSON text (ocpi/json-page.sql.ts), in pk order. */
    list(request: TokenListRequest): Promise<Page<JsonItem>> {
      return readJsonPage(raw, { table: 'tokens', where: [], ...request });
    },
  };
}

export type TokensRepository = ReturnType<typeof createTokensRepository>;
