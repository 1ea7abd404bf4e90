import type { PartnerRole, TokenCaller } from '../../ocpi/auth';
import { OcpiError } from '../../ocpi/ocpi-error';
import type { Logger } from '../../platform/logger';
import { generateTokenSecret, hashTokenSecret } from '../../platform/token-secret';
import { discoverPartner } from './credentials.client';
import type { Credentials } from './credentials.schema';
import { duplicateRoles, ourCredentials, type OurParty } from './our-credentials';
import { heldRole, type PartnerRecord } from './partner.mapper';
import { StaleRegistrationError, type PartnerProfile, type PartnerRepository } from './partner.repository';

export interface CredentialsServiceDeps {
  partners: PartnerRepository;
  party: OurParty;
  partnerTimeoutMs: number;
  logger: Logger;
  /** Queues what a partner's parties own (sessions, CDRs) once it is registered (push/owned-objects.ts). */
  queueOwned: (partner: PartnerRecord) => Promise<void>;
  /** Runs once a partner is registered (the tokens pull in the background); never fails the handshake. */
  afterRegistration: (partner: PartnerRecord) => void;
}

/** Callback failures are answered with HTTP 200 and a 3xxx status: the request reached the OCPI layer. */
const CALLBACK_FAILURE_HTTP_STATUS = 200;

/** A registration is for one role (the slot's): the registering party's credentials must list it. */
function requireSlotRole(role: PartnerRole, body: Credentials): void {
  if (body.roles.some((r) => r.role === role)) return;
  const listed = [...new Set(body.roles.map((r) => r.role))].join(', ');
  throw OcpiError.badRequest(`Invalid body: /roles: this registration is for role ${role}; the credentials list ${listed}`);
}

/** The server side of the credentials module (digest §2.2): a partner registers, updates or leaves. */
export function createCredentialsService({ partners, party, partnerTimeoutMs, logger, queueOwned, afterRegistration }: CredentialsServiceDeps) {
  async function profileFrom(body: Credentials): Promise<PartnerProfile> {
    const duplicates = duplicateRoles(body.roles);
    if (duplicates.length > 0) throw OcpiError.badRequest(`Invalid body: duplicate roles ${duplicates.join(', ')}`);
    const discovery = await discoverPartner(body.url, body.token, partnerTimeoutMs, CALLBACK_FAILURE_HTTP_STATUS);
    return { versionsUrl: body.url, ocpiVersion: discovery.ocpiVersion, endpoints: discovery.endpoints, roles: body.roles, outboundToken: body.token };
  }

  async function registeredPartnerOf(caller: TokenCaller) {
    const partner = caller.partnerId ? await partners.find(caller.partnerId) : undefined;
    if (caller.role === 'REGISTRATION' || partner?.status !== 'REGISTERED') {
      throw OcpiError.methodNotAllowed('Not registered: register with POST first', ['GET', 'POST']);
    }
    return partner;
  }

  return {
    get(caller: TokenCaller): Credentials {
      return ourCredentials(party, caller.secret);
    },

    async register(caller: TokenCaller, body: Credentials): Promise<Credentials> {
      if (caller.role !== 'REGISTRATION' || !caller.partnerId || !caller.prospectiveRole) {
        throw OcpiError.methodNotAllowed('Already registered: use PUT to update', ['GET', 'PUT', 'DELETE']);
      }
      requireSlotRole(caller.prospectiveRole, body);
      const profile = await profileFrom(body);
      const token = generateTokenSecret();
      try {
        await partners.registerIncoming(caller.tokenId, caller.partnerId, profile, { hash: hashTokenSecret(token), role: caller.prospectiveRole });
      } catch (error) {
        if (error instanceof StaleRegistrationError) throw OcpiError.methodNotAllowed('Already registered', ['GET', 'PUT', 'DELETE']);
        throw error;
      }
      logger.info('partner registered', { partner: caller.partnerId, roles: body.roles.map((r) => r.role), endpoints: profile.endpoints.length });
      const registered = await partners.find(caller.partnerId);
      if (registered) {
        await queueOwned(registered);
        afterRegistration(registered);
      }
      return ourCredentials(party, token);
    },

    /** The new token keeps the role the partner holds: listing other roles does not upgrade it (e.g. NSP to HUB). */
    async update(caller: TokenCaller, body: Credentials): Promise<Credentials> {
      const partner = await registeredPartnerOf(caller);
      const profile = await profileFrom(body);
      const token = generateTokenSecret();
      await partners.updateRegistration(partner.id, profile, { hash: hashTokenSecret(token), role: heldRole(partner) });
      logger.info('partner updated its credentials', { partner: partner.id, endpoints: profile.endpoints.length });
      await queueOwned({ ...partner, ...profile });
      return ourCredentials(party, token);
    },

    async unregister(caller: TokenCaller): Promise<void> {
      const partner = await registeredPartnerOf(caller);
      await partners.unregister(partner.id);
      logger.info('partner unregistered itself', { partner: partner.id });
    },
  };
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;
