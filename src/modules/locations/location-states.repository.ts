import { Prisma } from '../../generated/prisma/client';
import { rawQueriesOf, type PrismaClient } from '../../platform/database';
import { LOCATION_JSON } from './location-json.sql';
import type { OcpiFields } from './location-tree';

/**
 * The current OCPI objects of many locations in one statement (so each is one consistent
 * snapshot), keyed by id key: what push sends, read once per claimed batch.
 */
export function createLocationStatesRepository(prisma: PrismaClient, countryCode: string, partyId: string) {
  const raw = rawQueriesOf(prisma);
  return {
    async current(idKeys: string[]): Promise<Map<string, OcpiFields>> {
      if (idKeys.length === 0) return new Map();
      // One unique-key lookup per id (LIMIT 1 keeps the planner from turning it into a join): on default
      // estimates `id_key = ANY(...)` was applied as a filter over every location of the party.
      const rows = await raw.run<{ id_key: string; json: string }>(Prisma.sql`
        SELECT l.id_key, ${LOCATION_JSON} AS json FROM unnest(${idKeys}::text[]) AS k(id_key)
        CROSS JOIN LATERAL (SELECT * FROM locations l
          WHERE l.country_code = ${countryCode} AND l.party_id = ${partyId} AND l.id_key = k.id_key LIMIT 1) l`);
      return new Map(rows.map((row) => [row.id_key, JSON.parse(row.json) as OcpiFields]));
    },
  };
}

export type LocationStatesRepository = ReturnType<typeof createLocationStatesRepository>;
