import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import type { PrismaClient } from '../../platform/database';
import type { Clock } from '../../platform/clock';
import type { PartnerRole } from '../../ocpi/auth';
import type { Endpoint } from '../versions/versions.schema';
import type { CredentialsRole } from './credentials.schema';
import { toPartnerRecord, type PartnerRecord } from './partner.mapper';

export type { PartnerRecord };

type Tx = Prisma.TransactionClient;

/** What we learn about a partner from its versions, version details and credentials. */
export interface PartnerProfile {
  versionsUrl: string;
  ocpiVersion: string;
  endpoints: Endpoint[];
  roles: CredentialsRole[];
  outboundToken: string;
}

export interface IssuedToken {
  hash: string;
  /** The party role the token carries (already while the partner is pending: it is what token A shows). */
  role: PartnerRole;
}

/** Every partner read also reads the role of its latest token: the role the partner holds or will hold. */
const WITH_ROLE = { tokens: { select: { role: true }, orderBy: { createdAt: 'desc' }, take: 1 } } as const;

export class StaleRegistrationError extends Error {}

/** `tokensChanged` is told after every write that revokes a token or changes what a token may do. */
export function createPartnerRepository(prisma: PrismaClient, clock: Clock, tokensChanged: () => void = () => {}) {
  const thenTokensChanged = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    tokensChanged();
    return result;
  };
  const bump = () => ({ rowVersion: { increment: 1 }, updatedAt: clock.now() });
  const newToken = (token: IssuedToken) => ({
    id: randomUUID(),
    tokenHash: token.hash,
    role: token.role,
    status: 'ACTIVE' as const,
  });
  const revokeActive = (partnerId: string, exceptId?: string) => ({
    where: { partnerId, status: 'ACTIVE' as const, ...(exceptId ? { id: { not: exceptId } } : {}) },
    data: { status: 'REVOKED' as const, revokedAt: clock.now() },
  });
  // The partner just answered our discovery calls: if push holds it unreachable, the next claim probes it
  // (at the endpoints it has now), and probing backs off from the start again (push/reachability.ts).
  const probeAtOnce = (tx: Tx, partnerId: string) =>
    tx.$executeRaw`UPDATE partner_push_stats SET next_probe_at = now(), failed_probes = 0 WHERE partner_id = ${partnerId}::uuid AND unreachable_since IS NOT NULL`;
  const profileData = (profile: PartnerProfile) => ({
    versionsUrl: profile.versionsUrl,
    ocpiVersion: profile.ocpiVersion,
    endpoints: profile.endpoints,
    roles: profile.roles,
    outboundToken: profile.outboundToken,
  });

  return {
    async find(id: string): Promise<PartnerRecord | undefined> {
      const row = await prisma.partner.findUnique({ where: { id }, include: WITH_ROLE });
      return row ? toPartnerRecord(row) : undefined;
    },

    async findMany(ids: string[]): Promise<Map<string, PartnerRecord>> {
      const rows = await prisma.partner.findMany({ where: { id: { in: ids } }, include: WITH_ROLE });
      return new Map(rows.map((row) => [row.id, toPartnerRecord(row)]));
    },

    async list(): Promise<PartnerRecord[]> {
      const rows = await prisma.partner.findMany({ orderBy: { createdAt: 'asc' }, include: WITH_ROLE });
      return rows.map(toPartnerRecord);
    },

    async findRegisteredByVersionsUrl(versionsUrl: string): Promise<PartnerRecord | undefined> {
      const row = await prisma.partner.findFirst({ where: { versionsUrl, status: 'REGISTERED' }, include: WITH_ROLE });
      return row ? toPartnerRecord(row) : undefined;
    },

    /** A registration slot: a pending partner and the token A that lets it register, carrying the role it will hold. */
    async createSlot(tokenA: IssuedToken): Promise<PartnerRecord> {
      const id = randomUUID();
      const row = await prisma.partner.create({
        data: { id, status: 'PENDING', tokens: { create: newToken(tokenA) } },
        include: WITH_ROLE,
      });
      return toPartnerRecord(row);
    },

    /** Before we POST our credentials: the partner exists and our token B is accepted (it calls us back with it). */
    async createOutgoing(profile: Omit<PartnerProfile, 'roles'>, tokenB: IssuedToken): Promise<PartnerRecord> {
      const id = randomUUID();
      const row = await prisma.partner.create({
        data: { id, status: 'PENDING', ...profileData({ ...profile, roles: [] }), tokens: { create: newToken(tokenB) } },
        include: WITH_ROLE,
      });
      return toPartnerRecord(row);
    },

    /** Our POST was accepted: token B (which already carries the partner's role) now acts with that role. */
    async completeOutgoing(id: string, roles: CredentialsRole[], outboundToken: string): Promise<PartnerRecord> {
      const row = await thenTokensChanged(prisma.partner.update({
        where: { id },
        data: { status: 'REGISTERED', roles, outboundToken, registeredAt: clock.now(), ...bump() },
        include: WITH_ROLE,
      }));
      return toPartnerRecord(row);
    },

    /** Token A is consumed exactly once: a second, concurrent registration with it fails as stale. */
    async registerIncoming(tokenAId: string, partnerId: string, profile: PartnerProfile, tokenC: IssuedToken): Promise<PartnerRecord> {
      return thenTokensChanged(prisma.$transaction(async (tx) => {
        const consumed = await tx.accessToken.updateMany({
          where: { id: tokenAId, status: 'ACTIVE' },
          data: { status: 'REVOKED', revokedAt: clock.now() },
        });
        if (consumed.count !== 1) throw new StaleRegistrationError('token A was already used');
        await tx.accessToken.create({ data: { ...newToken(tokenC), partnerId } });
        const row = await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'REGISTERED', registeredAt: clock.now(), ...profileData(profile), ...bump() },
          include: WITH_ROLE,
        });
        return toPartnerRecord(row);
      }));
    },

    /** Partner-initiated update (PUT): new profile, new token for it; all its older tokens retire. */
    async updateRegistration(partnerId: string, profile: PartnerProfile, tokenC: IssuedToken): Promise<PartnerRecord> {
      return thenTokensChanged(prisma.$transaction(async (tx) => {
        await tx.accessToken.updateMany(revokeActive(partnerId));
        await tx.accessToken.create({ data: { ...newToken(tokenC), partnerId } });
        await probeAtOnce(tx, partnerId);
        const row = await tx.partner.update({ where: { id: partnerId }, data: { ...profileData(profile), ...bump() }, include: WITH_ROLE });
        return toPartnerRecord(row);
      }));
    },

    /** We rotated (our PUT succeeded): keep only the token we just issued, send theirs from now on. */
    async completeRotation(partnerId: string, profile: PartnerProfile, keepTokenHash: string): Promise<PartnerRecord> {
      return thenTokensChanged(prisma.$transaction(async (tx) => {
        const kept = await tx.accessToken.findUniqueOrThrow({ where: { tokenHash: keepTokenHash } });
        await tx.accessToken.updateMany(revokeActive(partnerId, kept.id));
        await probeAtOnce(tx, partnerId);
        const row = await tx.partner.update({ where: { id: partnerId }, data: { ...profileData(profile), ...bump() }, include: WITH_ROLE });
        return toPartnerRecord(row);
      }));
    },

    async addToken(partnerId: string, token: IssuedToken): Promise<void> {
      await prisma.accessToken.create({ data: { ...newToken(token), partnerId } });
    },

    async revokeToken(tokenHash: string): Promise<void> {
      await thenTokensChanged(prisma.accessToken.updateMany({ where: { tokenHash }, data: { status: 'REVOKED', revokedAt: clock.now() } }));
    },

    /** Retires its tokens and drops what was queued for it (and push's view of its reachability): an unregistered partner gets nothing further. */
    async unregister(partnerId: string): Promise<PartnerRecord> {
      return thenTokensChanged(prisma.$transaction(async (tx) => {
        await tx.accessToken.updateMany(revokeActive(partnerId));
        await tx.delivery.deleteMany({ where: { partnerId, status: 'PENDING' } });
        // What it acknowledged is forgotten, except CDR receipts: a bill it received stays received.
        await tx.partnerObject.deleteMany({ where: { partnerId, module: { not: 'cdrs' } } });
        await tx.partnerPushStats.updateMany({ where: { partnerId }, data: { consecutiveFailures: 0, unreachableSince: null, nextProbeAt: null, failedProbes: 0 } });
        const row = await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'UNREGISTERED', outboundToken: null, ...bump() },
          include: WITH_ROLE,
        });
        return toPartnerRecord(row);
      }));
    },

    async remove(partnerId: string): Promise<void> {
      await thenTokensChanged(prisma.partner.delete({ where: { id: partnerId } }));
    },
  };
}

export type PartnerRepository = ReturnType<typeof createPartnerRepository>;
