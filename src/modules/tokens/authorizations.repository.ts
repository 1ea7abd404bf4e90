import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import type { TokenKey } from './tokens.mapper';

/**
 * One statement (real-time authorization runs it on every ALLOWED with a reference): the latest answer wins.
 * Its commit does not wait for the WAL flush (`set_config(..., true)` is SET LOCAL for this statement's own
 * transaction): the reference is visible at once, and a database crash within the next fraction of a second
 * could lose it, which only leaves a later session without it. Waiting for the flush halved the real-time
 * throughput at 50 connections (bench:authorize).
 */
const KEEP = `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
INSERT INTO authorizations (country_code, party_id, uid_key, type, location_key, reference, created_at)
SELECT $1, $2, $3, $4, $5, $6, $7::timestamptz FROM relaxed
ON CONFLICT (country_code, party_id, uid_key, type, location_key) DO UPDATE SET reference = EXCLUDED.reference, created_at = EXCLUDED.created_at`;

export function createAuthorizationsRepository(prisma: PrismaClient, now: () => Date) {
  const raw = rawQueriesOf(prisma);
  return {
    /** Keeps `reference` as the latest for this token at this location. */
    async keep(key: TokenKey, locationId: string | undefined, reference: string): Promise<void> {
      const locationKey = locationId?.toUpperCase() ?? '';
      await raw.query(KEEP, [key.countryCode, key.partyId, key.uidKey, key.type, locationKey, reference, now()]);
    },

    /** The latest reference for this token at this location (or given without a location), kept at or after `since`. */
    async latest(key: TokenKey, locationId: string, since: Date): Promise<string | undefined> {
      const row = await prisma.authorization.findFirst({
        where: { ...key, locationKey: { in: [locationId.toUpperCase(), ''] }, createdAt: { gte: since } },
        orderBy: { createdAt: 'desc' },
      });
      return row?.reference;
    },
  };
}

export type AuthorizationsRepository = ReturnType<typeof createAuthorizationsRepository>;
