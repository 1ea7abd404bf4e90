import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../platform/database';
import type { Clock } from '../../platform/clock';
import { generateTokenSecret, hashTokenSecret, tokenHashesEqual } from '../../platform/token-secret';
import type { TokenResolver } from '../../ocpi/auth';

export function createAccessTokenRepository(prisma: PrismaClient, clock: Clock) {
  /**
   * Active tokens by hash. A partner's token acts with its role once the partner is registered; before
   * that it is a registration token, and its role is the one the party will hold.
   */
  const resolve: TokenResolver = async (candidates) => {
    const hashes = candidates.map(hashTokenSecret);
    const rows = await prisma.accessToken.findMany({
      where: { tokenHash: { in: hashes }, status: 'ACTIVE' },
      select: { id: true, tokenHash: true, role: true, partnerId: true, partner: { select: { status: true } } },
    });
    for (const [index, hash] of hashes.entries()) {
      const row = rows.find((candidate) => tokenHashesEqual(candidate.tokenHash, hash));
      if (!row) continue;
      const partnerId = row.partnerId ?? undefined;
      if (row.partner === null || row.partner.status === 'REGISTERED') {
        return { secret: candidates[index] as string, token: { tokenId: row.id, role: row.role, partnerId } };
      }
      const prospectiveRole = row.role === 'ADMIN' ? undefined : row.role;
      return { secret: candidates[index] as string, token: { tokenId: row.id, role: 'REGISTRATION', partnerId, prospectiveRole } };
    }
    return undefined;
  };

  /**
   * Makes sure an admin token exists. A configured one replaces every other admin token; without one,
   * a token is generated once and returned so it can be shown to the operator (only its hash is kept).
   */
  async function ensureAdminToken(configured: string | undefined): Promise<{ generated?: string }> {
    if (configured) {
      const hash = hashTokenSecret(configured);
      await prisma.$transaction([
        prisma.accessToken.updateMany({
          where: { role: 'ADMIN', status: 'ACTIVE', tokenHash: { not: hash } },
          data: { status: 'REVOKED', revokedAt: clock.now() },
        }),
        prisma.accessToken.upsert({
          where: { tokenHash: hash },
          create: { id: randomUUID(), tokenHash: hash, role: 'ADMIN', status: 'ACTIVE', label: 'env' },
          update: { role: 'ADMIN', status: 'ACTIVE', revokedAt: null, partnerId: null },
        }),
      ]);
      return {};
    }
    // Processes starting together on one database take turns here, so only the first generates a token.
    return prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ocpi-cpo-node:admin-token'))`;
      const existing = await tx.accessToken.count({ where: { role: 'ADMIN', status: 'ACTIVE' } });
      if (existing > 0) return {};
      const secret = generateTokenSecret();
      await tx.accessToken.create({
        data: { id: randomUUID(), tokenHash: hashTokenSecret(secret), role: 'ADMIN', status: 'ACTIVE', label: 'generated' },
      });
      return { generated: secret };
    });
  }

  return { resolve, ensureAdminToken };
}

export type AccessTokenRepository = ReturnType<typeof createAccessTokenRepository>;
