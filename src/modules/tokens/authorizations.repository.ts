import type { PrismaClient } from '../../platform/database';
import type { TokenKey } from './tokens.mapper';

/** The authorization_reference an eMSP gave when it allowed a token, per token and location ('' = no location named). */
export function createAuthorizationsRepository(prisma: PrismaClient, now: () => Date) {
  return {
    /** Keeps `reference` as the latest for this token at this location. */
    async keep(key: TokenKey, locationId: string | undefined, reference: string): Promise<void> {
      const locationKey = locationId?.toUpperCase() ?? '';
      const createdAt = now();
      await prisma.authorization.upsert({
        where: { countryCode_partyId_uidKey_type_locationKey: { ...key, locationKey } },
        create: { ...key, locationKey, reference, createdAt },
        update: { reference, createdAt },
      });
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
