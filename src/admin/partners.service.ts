import type { PartnerRole } from '../ocpi/auth';
import { OcpiError } from '../ocpi/ocpi-error';
import { PartnerCallError } from '../ocpi/outbound';
import { OcpiStatus } from '../ocpi/status-codes';
import type { Logger } from '../platform/logger';
import { generateTokenSecret, hashTokenSecret } from '../platform/token-secret';
import { credentialsUrl, deleteCredentials, discoverPartner, sendCredentials } from '../modules/credentials/credentials.client';
import type { Credentials } from '../modules/credentials/credentials.schema';
import { duplicateRoles, ourCredentials, type OurParty } from '../modules/credentials/our-credentials';
import { heldRole } from '../modules/credentials/partner.mapper';
import type { PartnerRecord, PartnerRepository } from '../modules/credentials/partner.repository';
import type { ReconcileReport } from '../modules/locations/reconcile-report.schema';
import type { OutboxRepository } from '../push/outbox.repository';
import type { ReachabilityRepository, ReachabilityView } from '../push/reachability.repository';
import { receiverUrl } from '../push/delivery-handler';

export interface PartnersServiceDeps {
  partners: PartnerRepository;
  party: OurParty;
  partnerTimeoutMs: number;
  logger: Logger;
  outbox: OutboxRepository;
  reachability: Pick<ReachabilityRepository, 'views'>;
  /** Per module that pushes: every object key the partner is to receive (for sessions, those it owns), for a full resync. */
  resyncSources: Record<string, (partner: PartnerRecord) => Promise<string[]>>;
  wakePushWorker: () => void;
  /** Queues what a partner's parties own (sessions, CDRs) once it is registered (push/owned-objects.ts). */
  queueOwned: (partner: PartnerRecord) => Promise<void>;
  /** Per module we pull from partners' SENDER interfaces (tokens): its endpoint, and a full pull. */
  pulls: Record<string, SenderPull>;
  /** Per module whose copy at a partner we can compare with ours (locations: the receiver list extension). */
  reconcilers: Record<string, Reconciler>;
  /** Runs once a partner is registered (the tokens pull in the background); never fails the handshake. */
  afterRegistration: (partner: PartnerRecord) => void;
}

/** A module whose SENDER list we pull (`POST /admin/partners/{id}/sync`). */
export interface SenderPull {
  endpoint(partner: PartnerRecord): string | undefined;
  pull(partner: PartnerRecord): Promise<{ fetched: number; stored: number }>;
}

/** A module whose copy at a partner's RECEIVER we compare with ours (`POST /admin/partners/{id}/reconcile`). */
export interface Reconciler {
  reconcile(partner: PartnerRecord, options: { purge: boolean }): Promise<ReconcileReport>;
}

/** Failures of the partner's side answer 502 on the admin API: the operator's request was fine. */
const PARTNER_FAILURE_HTTP_STATUS = 502;

function partnerFailure(error: unknown, what: string): OcpiError {
  if (error instanceof PartnerCallError) {
    return new OcpiError(PARTNER_FAILURE_HTTP_STATUS, OcpiStatus.UNABLE_TO_USE_CLIENT_API, `${what}: ${error.message}`);
  }
  return error instanceof OcpiError ? error : new OcpiError(500, OcpiStatus.SERVER_ERROR, `${what} failed`);
}

/** The operator's side of partner management: slots for eMSPs to register, and the handshake from our side. */
export function createPartnersService(deps: PartnersServiceDeps) {
  const { partners, party, partnerTimeoutMs, logger, outbox } = deps;
  async function mustFind(id: string): Promise<PartnerRecord> {
    const partner = await partners.find(id);
    if (!partner) throw OcpiError.notFound(`Unknown partner ${id}`);
    return partner;
  }

  /**
   * The partner accepted our POST, but we refuse what it answered: undo it at the partner (best effort,
   * as on unregistration), so it does not keep a registration we dropped. The caller removes the pending
   * partner and reports `refusal`.
   */
  async function undoAtPartner(pendingId: string, url: string, theirs: Credentials, refusal: Error): Promise<never> {
    try {
      await deleteCredentials(url, theirs.token, partnerTimeoutMs);
    } catch (error) {
      logger.warn('partner did not accept our DELETE credentials', { partner: pendingId, error: (error as Error).message });
    }
    throw refusal;
  }

  /** What the partner answered, unless we must refuse it. */
  function refusalOf(theirs: Credentials, role: PartnerRole): Error | undefined {
    if (duplicateRoles(theirs.roles).length > 0) return new PartnerCallError('invalid-data', 'partner credentials repeat a role');
    if (theirs.roles.some((r) => r.role === role)) return undefined;
    const listed = [...new Set(theirs.roles.map((r) => r.role))].join(', ');
    return new OcpiError(409, OcpiStatus.CLIENT_ERROR, `This registration is for role ${role}; the partner's credentials list ${listed}: registration undone`);
  }

  return {
    list: () => partners.list(),
    get: mustFind,

    /** A slot for a party that will hold `role`: its token A shows, in version details, what that role will use. */
    async createSlot(role: PartnerRole): Promise<{ partner: PartnerRecord; tokenA: string }> {
      const tokenA = generateTokenSecret();
      const partner = await partners.createSlot({ hash: hashTokenSecret(tokenA), role });
      logger.info('registration slot created', { partner: partner.id, role });
      return { partner, tokenA };
    },

    /**
     * We are the handshake's sender (digest §2.3): discover, POST our token B, store their token C.
     * Token B carries `role` from the start, so the partner's callback with it sees that role's endpoints.
     */
    async registerWith(versionsUrl: string, tokenA: string, role: PartnerRole): Promise<PartnerRecord> {
      if (await partners.findRegisteredByVersionsUrl(versionsUrl)) {
        throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, `A partner at ${versionsUrl} is already registered`);
      }
      const discovery = await discoverPartner(versionsUrl, tokenA, partnerTimeoutMs, PARTNER_FAILURE_HTTP_STATUS);
      const tokenB = generateTokenSecret();
      const pending = await partners.createOutgoing(
        { versionsUrl, ocpiVersion: discovery.ocpiVersion, endpoints: discovery.endpoints, outboundToken: tokenA },
        { hash: hashTokenSecret(tokenB), role },
      );
      try {
        const url = credentialsUrl(discovery.endpoints) as string;
        const theirs = await sendCredentials('POST', url, tokenA, ourCredentials(party, tokenB), partnerTimeoutMs);
        const refusal = refusalOf(theirs, role);
        if (refusal) await undoAtPartner(pending.id, url, theirs, refusal);
        const registered = await partners.completeOutgoing(pending.id, theirs.roles, theirs.token);
        logger.info('registered with partner', { partner: pending.id, role, roles: theirs.roles.map((r) => r.role) });
        await deps.queueOwned(registered);
        deps.afterRegistration(registered);
        return registered;
      } catch (error) {
        await partners.remove(pending.id);
        logger.warn('registration with partner failed', { partner: pending.id, error: (error as Error).message });
        throw partnerFailure(error, 'Registration failed');
      }
    },

    /** Token rotation from our side (digest §2.4): our new token is live before the partner calls back with it. */
    async rotate(id: string): Promise<PartnerRecord> {
      const partner = await mustFind(id);
      if (partner.status !== 'REGISTERED' || !partner.outboundToken || !partner.versionsUrl) {
        throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, `Partner ${id} is not registered`);
      }
      const discovery = await discoverPartner(partner.versionsUrl, partner.outboundToken, partnerTimeoutMs, PARTNER_FAILURE_HTTP_STATUS);
      const token = generateTokenSecret();
      const hash = hashTokenSecret(token);
      await partners.addToken(id, { hash, role: heldRole(partner) });
      try {
        const url = credentialsUrl(discovery.endpoints) as string;
        const theirs = await sendCredentials('PUT', url, partner.outboundToken, ourCredentials(party, token), partnerTimeoutMs);
        const profile = { versionsUrl: partner.versionsUrl, ...discovery, roles: theirs.roles, outboundToken: theirs.token };
        const rotated = await partners.completeRotation(id, profile, hash);
        logger.info('credentials rotated with partner', { partner: id });
        await deps.queueOwned(rotated);
        return rotated;
      } catch (error) {
        await partners.revokeToken(hash);
        throw partnerFailure(error, 'Credentials update failed');
      }
    },

    deliveries: (id: string, status: 'PENDING' | 'FAILED' | undefined, module?: string) => mustFind(id).then(() => outbox.list(id, status, 1000, module)),
    /** Delivered deliveries are not kept, except CDR receipts (with the owner's `Location`). */
    deliveredCdrs: (id: string) => mustFind(id).then(() => outbox.deliveredCdrs(id, 1000)),

    /** Failed deliveries queued again, from scratch (an operator's retry after fixing what failed). */
    async retryFailed(id: string, module?: string, object?: string): Promise<{ queued: number }> {
      await mustFind(id);
      const queued = await outbox.retryFailed(id, module, object);
      if (queued > 0) deps.wakePushWorker();
      logger.info('failed deliveries queued again', { partner: id, module, object, count: queued });
      return { queued };
    },
    deliverySummary: (id: string) => outbox.summary(id),
    /** Whether push can reach each partner (REACHABLE, or UNREACHABLE since when, with the next probe). */
    reachabilityOf: (ids: string[]): Promise<Map<string, ReachabilityView>> => deps.reachability.views(ids),

    /** Queues a full PUT of every object of `module` to one partner, whatever it acknowledged before. */
    async resync(id: string, module: string): Promise<{ module: string; queued: number }> {
      const partner = await mustFind(id);
      const source = deps.resyncSources[module];
      if (!source) throw OcpiError.badRequest(`Invalid body: /module must be one of ${Object.keys(deps.resyncSources).join(', ')}`);
      if (partner.status !== 'REGISTERED' || !receiverUrl(partner, module)) {
        throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, `Partner ${id} is not registered with a ${module} RECEIVER endpoint`);
      }
      const queued = await outbox.resync(id, module, await source(partner));
      deps.wakePushWorker();
      logger.info('resync queued', { partner: id, module, count: queued });
      return { module, queued };
    },

    /** Pulls the partner's SENDER list of `module` now (following `Link`); a page that fails stops it (502 / 3001). */
    async sync(id: string, module: string): Promise<{ fetched: number; stored: number }> {
      const partner = await mustFind(id);
      const pull = deps.pulls[module];
      if (!pull) throw OcpiError.badRequest(`Invalid body: /module must be one of ${Object.keys(deps.pulls).join(', ')}`);
      if (partner.status !== 'REGISTERED' || !partner.outboundToken || !pull.endpoint(partner)) {
        throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, `Partner ${id} is not registered with a ${module} SENDER endpoint`);
      }
      try {
        const result = await pull.pull(partner);
        logger.info('sync done', { partner: id, module, ...result });
        return result;
      } catch (error) {
        logger.warn('sync failed', { partner: id, module, error: (error as Error).message });
        throw partnerFailure(error, `Pulling ${module} failed`);
      }
    },

    /** Compares the partner's stored copy of `module` with ours and queues full PUTs of what differs; `purge`: clears it first, then a full resync. */
    async reconcile(id: string, module: string, purge: boolean) {
      const partner = await mustFind(id);
      const reconciler = deps.reconcilers[module];
      if (!reconciler) throw OcpiError.badRequest(`Invalid body: /module must be one of ${Object.keys(deps.reconcilers).join(', ')}`);
      if (partner.status !== 'REGISTERED' || !partner.outboundToken || !receiverUrl(partner, module)) {
        throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, `Partner ${id} is not registered with a ${module} RECEIVER endpoint`);
      }
      try {
        const report = await reconciler.reconcile(partner, { purge });
        if (report.queued > 0) deps.wakePushWorker();
        return report;
      } catch (error) {
        logger.warn('reconcile failed', { partner: id, module, purge, error: (error as Error).message });
        throw partnerFailure(error, `Reconciling ${module} failed`);
      }
    },

    /** Tells a registered partner first (best effort), then retires every token either way. */
    async unregister(id: string): Promise<PartnerRecord> {
      const partner = await mustFind(id);
      if (partner.status === 'UNREGISTERED') return partner;
      const url = credentialsUrl(partner.endpoints);
      if (partner.status === 'REGISTERED' && url && partner.outboundToken) {
        try {
          await deleteCredentials(url, partner.outboundToken, partnerTimeoutMs);
        } catch (error) {
          logger.warn('partner did not accept our DELETE credentials', { partner: id, error: (error as Error).message });
        }
      }
      const unregistered = await partners.unregister(id);
      logger.info('partner unregistered', { partner: id });
      return unregistered;
    },
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;
