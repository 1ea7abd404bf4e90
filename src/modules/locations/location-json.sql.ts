import { Prisma } from '../../generated/prisma/client';
import { iso } from '../../platform/database';

/**
 * The served OCPI Location of row `l`, built by PostgreSQL as JSON text: the same object
 * locations.mapper's locationObject builds, without a round trip through JavaScript objects.
 * Used on the read paths partners hit hardest (single GETs and list pages).
 */
export const LOCATION_JSON = Prisma.sql`(l.data || jsonb_build_object(
  'evses', COALESCE((
    SELECT jsonb_agg(e.data || jsonb_build_object(
      'connectors', COALESCE((
        SELECT jsonb_agg(c.data || jsonb_build_object('last_updated', ${iso('c.last_updated')}) ORDER BY c.pk)
        FROM connectors c WHERE c.evse_pk = e.pk), '[]'::jsonb),
      'last_updated', ${iso('e.last_updated')}) ORDER BY e.pk)
    FROM evses e WHERE e.location_pk = l.pk), '[]'::jsonb),
  'last_updated', ${iso('l.last_updated')}))::text`;
