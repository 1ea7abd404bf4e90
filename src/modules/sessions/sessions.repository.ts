import type { Prisma, Session as SessionRow } from '../../generated/prisma/client';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { Page } from '../../ocpi/pagination';
import type { ChangeFeed } from '../../push/change-feed';
import type { SessionSeal } from './session-seal';
import { ownedBy, readJsonPage, type JsonItem } from '../../ocpi/json-page.sql';

/** A stored session: `data` holds its OCPI fields in the spec's order, without `last_updated`. */
export interface SessionRecord {
  pk: bigint;
  id: string;
  idKey: string;
  data: Record<string, unknown>;
  periodsGeneration: number;
  chargingPreferences: Record<string, unknown> | undefined;
  sealed: SessionSeal | undefined;
  lastUpdated: Date;
  version: number;
}

/** An eMSP party, upper-cased. */
export interface TokenParty {
  countryCode: string;
  partyId: string;
}

export interface SessionListFilter {
  /** Only sessions whose `cdr_token` names one of these parties (undefined: all, the admin view). */
  owners?: TokenParty[];
  dateFrom?: Date;
  dateTo?: Date;
}

export interface SessionPageRequest {
  offset: number;
  limit: number;
  /** Keyset position: continue after this pk. */
  after?: string;
}

/** What a write stores, or undefined to leave the stored session as it is. */
export interface SessionDesired {
  id: string;
  countryCode: string;
  partyId: string;
  token: TokenParty;
  status: string;
  data: Record<string, unknown>;
  periodCount: number;
  /** The write replaced stored periods instead of appending to them. */
  periodsReplaced: boolean;
  /** A new seal to store (undefined: keep the stored one). */
  sealed?: SessionSeal;
}
export type SessionPlanner = (stored: SessionRecord | undefined) => SessionDesired | undefined;

const MAX_ATTEMPTS = 5;
const prismaCode = (error: unknown) => (error as { code?: string }).code;
class ConcurrentSessionWrite extends Error {}

function toRecord(row: SessionRow): SessionRecord {
  return {
    pk: row.pk,
    id: row.id,
    idKey: row.idKey,
    data: row.data as Record<string, unknown>,
    periodsGeneration: row.periodsGeneration,
    chargingPreferences: (row.chargingPreferences as Record<string, unknown> | null) ?? undefined,
    sealed: (row.sealed as SessionSeal | null) ?? undefined,
    lastUpdated: row.lastUpdated,
    version: row.rowVersion,
  };
}

export type { JsonItem as SessionJson };

const MODULE = 'sessions';

export function createSessionsRepository(prisma: PrismaClient, now: () => Date, feed?: Pick<ChangeFeed, 'enqueue' | 'committed'>) {
  const raw = rawQueriesOf(prisma);

  async function attemptWrite(key: string, plan: SessionPlanner) {
    return prisma.$transaction(async (tx) => {
      // Writers of one session queue on its row lock (appends arrive in bursts); the version check stays the guard.
      await tx.$executeRaw`SELECT 1 FROM sessions WHERE id_key = ${key} FOR UPDATE`;
      const row = await tx.session.findUnique({ where: { idKey: key } });
      const stored = row ? toRecord(row) : undefined;
      const desired = plan(stored);
      if (!desired) return { session: stored!, created: false, changed: false };
      const periodsGeneration = (stored?.periodsGeneration ?? 0) + (stored && !desired.periodsReplaced ? 0 : 1);
      const fields = {
        status: desired.status,
        tokenCountryCode: desired.token.countryCode,
        tokenPartyId: desired.token.partyId,
        data: desired.data as Prisma.InputJsonValue,
        periodCount: desired.periodCount,
        periodsGeneration,
        lastUpdated: now(),
        rowVersion: (stored?.version ?? 0) + 1,
        ...(desired.sealed ? { sealed: desired.sealed as unknown as Prisma.InputJsonValue } : {}),
      };
      // Delivered to the owner alone: the partner holding the token's party (push/owned-objects.ts for one that registers later).
      await feed?.enqueue(tx, MODULE, key, { country_code: desired.token.countryCode, party_id: desired.token.partyId });
      if (!stored) {
        const { id, countryCode, partyId } = desired;
        return { session: toRecord(await tx.session.create({ data: { id, idKey: key, countryCode, partyId, ...fields } })), created: true, changed: true };
      }
      // Compare-and-set on the version: a concurrent write (an append among them) makes this one plan again.
      const updated = await tx.session.updateMany({ where: { pk: stored.pk, rowVersion: stored.version }, data: fields });
      if (updated.count !== 1) throw new ConcurrentSessionWrite();
      const session = { ...stored, data: desired.data, periodsGeneration, sealed: desired.sealed ?? stored.sealed, lastUpdated: fields.lastUpdated, version: fields.rowVersion };
      return { session, created: false, changed: true };
    });
  }

  return {
    async find(key: string): Promise<SessionRecord | undefined> {
      const row = await prisma.session.findUnique({ where: { idKey: key } });
      return row ? toRecord(row) : undefined;
    },

    /** Read, plan and write in one transaction; a lost race (concurrent creation or update) plans again on fresh state. */
    async write(key: string, plan: SessionPlanner): Promise<{ session: SessionRecord; created: boolean; changed: boolean }> {
      for (let attempts = 1; ; attempts++) {
        try {
          const outcome = await attemptWrite(key, plan);
          if (outcome.changed) feed?.committed();
          return outcome;
        } catch (error) {
          const lostRace = error instanceof ConcurrentSessionWrite || prismaCode(error) === 'P2002';
          if (!lostRace || attempts >= MAX_ATTEMPTS) throw error;
        }
      }
    },

    async findMany(keys: string[]): Promise<SessionRecord[]> {
      return (await prisma.session.findMany({ where: { idKey: { in: keys } } })).map(toRecord);
    },

    /** The keys of the sessions whose token belongs to one of `owners` (what a partner registering now owns). */
    async keysOwnedBy(owners: TokenParty[]): Promise<string[]> {
      if (owners.length === 0) return [];
      const rows = await prisma.session.findMany({
        where: { OR: owners.map((o) => ({ tokenCountryCode: o.countryCode, tokenPartyId: o.partyId })) },
        select: { idKey: true },
        orderBy: { pk: 'asc' },
      });
      return rows.map((row) => row.idKey);
    },

    /** Stores charging preferences; they are not part of the Session, so its version and last_updated stay. */
    /** False when the session reached a final state meanwhile (nothing stored then). */
    async setChargingPreferences(pk: bigint, preferences: Record<string, unknown>, finalStates: readonly string[]): Promise<boolean> {
      const updated = await prisma.session.updateMany({
        where: { pk, status: { notIn: [...finalStates] } },
        data: { chargingPreferences: preferences as Prisma.InputJsonValue, preferencesUpdated: now() },
      });
      return updated.count === 1;
    },

    /** A page in pk order (stable while sessions change), read on the pool as JSON text. */
    list(filter: SessionListFilter, page: SessionPageRequest): Promise<Page<JsonItem>> {
      return readJsonPage(raw, { table: 'sessions', where: filter.owners ? [ownedBy(filter.owners)] : [], ...filter, ...page });
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
