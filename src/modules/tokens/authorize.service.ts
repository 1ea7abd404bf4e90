import { OcpiError } from '../../ocpi/ocpi-error';
import type { Party } from '../../ocpi/routing-headers';
import type { Logger } from '../../platform/logger';
import { holdsParty, type PartnerRecord } from '../credentials/partner.mapper';
import type { PartnerRepository } from '../credentials/partner.repository';
import type { CdrToken } from '../sessions/charging.schema';
import type { AuthorizeClient, RealTimeOutcome } from './authorize.client';
import type { AllowedType, AuthorizationInfo, AuthorizeDecision, AuthorizeRequest, LocationReferences } from './authorize.schema';
import type { AuthorizationsRepository } from './authorizations.repository';
import { tokensSenderUrl } from './tokens.client';
import { pathOfToken, tokenData, tokenKey, tokenObject } from './tokens.mapper';
import type { TokenRecord, TokensRepository } from './tokens.repository';
import { DEFAULT_TOKEN_TYPE, type Token, type TokenType } from './tokens.schema';

/** A kept authorization_reference is copied into a session that starts at most this long after it was given. */
export const REFERENCE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * How long the list of partners is reused between authorizations: the driver waits on every one, and a
 * registration or unregistration is seen this much later at most.
 */
export const PARTNERS_TTL_MS = 1000;

export interface AuthorizeDeps {
  tokens: Pick<TokensRepository, 'findByUid'>;
  partners: Pick<PartnerRepository, 'list'>;
  ask: AuthorizeClient;
  references: Pick<AuthorizationsRepository, 'keep'>;
  logger: Logger;
}

const sameId = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
const partyOf = (token: Pick<Token, 'country_code' | 'party_id'>): Party => ({ countryCode: token.country_code.toUpperCase(), partyId: token.party_id.toUpperCase() });

/** A partner we can ask: registered, with a token to call it and a Tokens SENDER endpoint. */
const askable = (partner: PartnerRecord) => partner.status === 'REGISTERED' && partner.outboundToken !== null && tokensSenderUrl(partner) !== undefined;

/** The eMSP's Token as we serve tokens: the spec's field order, unset (null) fields left out. */
const served = (token: Token): Token => ({ ...tokenData(token), last_updated: token.last_updated }) as Token;

/**
 * Several parties hold this uid and type in the cache: a valid token before an invalid one, then the most
 * recently updated; that one alone decides (its owner is the one asked when its whitelist says real-time).
 */
function pickCached(records: TokenRecord[]): TokenRecord | undefined {
  const valid = (r: TokenRecord) => (r.data.valid === true ? 1 : 0);
  return [...records].sort((a, b) => valid(b) - valid(a) || b.lastUpdated.getTime() - a.lastUpdated.getTime())[0];
}

/** `allowed` from the cache alone: `valid` → ALLOWED, else BLOCKED. */
const fromCache = (token: Token): AllowedType => (token.valid ? 'ALLOWED' : 'BLOCKED');

/**
 * `POST /admin/authorize` (ARCHITECTURE §2): may this token charge (here)? Decided as the digest's whitelist
 * table says (§3.5.2); README "Authorization" lists every rule.
 */
export function createAuthorizeService({ tokens, partners, ask, references, logger }: AuthorizeDeps) {
  let known: { at: number; list: Promise<PartnerRecord[]> } | undefined;
  /** The partners we can ask, read at most every PARTNERS_TTL_MS (a failed read is not kept). */
  function askablePartners(): Promise<PartnerRecord[]> {
    const now = Date.now();
    if (known && now - known.at < PARTNERS_TTL_MS) return known.list;
    const list = partners.list().then((all) => all.filter(askable));
    known = { at: now, list };
    list.catch(() => (known = undefined));
    return list;
  }

  /** The decision from a trusted AuthorizationInfo; `location` only when one was asked and the eMSP allowed it there. */
  function fromAnswer(info: AuthorizationInfo, asked: LocationReferences | undefined): AuthorizeDecision {
    const decision: AuthorizeDecision = { allowed: info.allowed, token: served(info.token), decided_by: 'REAL_TIME' };
    if (info.authorization_reference) decision.authorization_reference = info.authorization_reference;
    if (asked && info.allowed === 'ALLOWED' && info.location && sameId(info.location.location_id, asked.location_id)) {
      decision.location = { location_id: info.location.location_id, ...(info.location.evse_uids ? { evse_uids: info.location.evse_uids } : {}) };
    }
    if (info.info) decision.info = info.info;
    return decision;
  }

  /** The partner holding the token's party that we can ask: the one that wrote it last, else the first registered. */
  async function ownerOf(record: TokenRecord, token: Token): Promise<PartnerRecord | undefined> {
    const holders = (await askablePartners()).filter((p) => holdsParty(p, token));
    return holders.find((p) => p.id === record.partnerId) ?? holders[0];
  }

  async function forCached(record: TokenRecord, asked: LocationReferences | undefined): Promise<AuthorizeDecision> {
    const token = tokenObject(record);
    const whenAllowed = (allowed: AllowedType) => (allowed === 'ALLOWED' && asked ? { location: asked } : {});
    if (token.whitelist === 'ALWAYS' || token.whitelist === 'ALLOWED') {
      const allowed = fromCache(token);
      return { allowed, token, ...whenAllowed(allowed), decided_by: 'CACHE' };
    }
    const offline = (reason: string): AuthorizeDecision => {
      // ALLOWED_OFFLINE: the cache decides when the eMSP cannot; NEVER: refused (digest §3.5.2).
      const allowed = token.whitelist === 'ALLOWED_OFFLINE' ? fromCache(token) : 'NOT_ALLOWED';
      logger.warn('real-time authorization: eMSP unreachable, offline rule applied', { uid: token.uid, whitelist: token.whitelist, allowed, reason });
      return { allowed, token, ...whenAllowed(allowed), decided_by: 'OFFLINE_FALLBACK' };
    };
    const owner = await ownerOf(record, token);
    if (!owner) return offline(`no registered partner with a tokens SENDER holds ${token.country_code}/${token.party_id}`);
    const outcome = await ask(owner, { uid: token.uid, type: token.type, to: partyOf(token), location: asked });
    const refused = (reason: string): AuthorizeDecision => {
      logger.warn('real-time authorization refused', { partner: owner.id, uid: token.uid, reason });
      return { allowed: 'NOT_ALLOWED', token, decided_by: 'REAL_TIME' };
    };
    switch (outcome.kind) {
      case 'answer':
        return sameToken(outcome.info.token, token) ? fromAnswer(outcome.info, asked) : refused('the answer names another token');
      case 'unknown':
        return refused('the eMSP does not know the token (404 / 2004)');
      case 'needs-location':
        return refused(asked ? 'the eMSP wants more information (2002)' : 'the eMSP needs a location (2002): ask with location_id');
      case 'failed':
        return refused(outcome.reason);
      case 'unreachable':
        return offline(outcome.reason);
    }
  }

  /**
   * A token the cache does not hold: every registered eMSP (or hub) with a Tokens SENDER is asked at once,
   * each bounded by the timeout. The first trusted ALLOWED answer decides at once; else, once all have
   * answered, the first (in registration order) trusted other verdict; else NOT_ALLOWED (REAL_TIME when
   * some eMSP answered, OFFLINE_FALLBACK when none could be reached, CACHE when there is no one to ask).
   */
  async function forUnknown(uid: string, type: TokenType, asked: LocationReferences | undefined): Promise<AuthorizeDecision> {
    const candidates = (await askablePartners()).filter((p) => (p.role === 'EMSP' || p.role === 'HUB') && p.roles.length > 0);
    if (candidates.length === 0) return { allowed: 'NOT_ALLOWED', decided_by: 'CACHE' };
    /** An answer naming another token, or a token of a party the partner does not hold, is not trusted. */
    const trusted = (partner: PartnerRecord, outcome: RealTimeOutcome): RealTimeOutcome => {
      if (outcome.kind !== 'answer') return outcome;
      const { token } = outcome.info;
      if (sameId(token.uid, uid) && token.type === type && holdsParty(partner, token)) return outcome;
      logger.warn('real-time authorization: answer for another token or party ignored', { partner: partner.id, uid });
      return { kind: 'failed', reason: 'the answer names another token or party' };
    };
    return new Promise<AuthorizeDecision>((resolve, reject) => {
      const outcomes: (RealTimeOutcome | undefined)[] = candidates.map(() => undefined);
      let pending = candidates.length;
      const settle = () => {
        const verdict = outcomes.find((o) => o?.kind === 'answer');
        if (verdict?.kind === 'answer') return resolve(fromAnswer(verdict.info, asked));
        const reached = outcomes.some((o) => o?.kind !== 'unreachable');
        resolve({ allowed: 'NOT_ALLOWED', decided_by: reached ? 'REAL_TIME' : 'OFFLINE_FALLBACK' });
      };
      candidates.forEach((partner, index) => {
        const to = { countryCode: partner.roles[0]!.country_code, partyId: partner.roles[0]!.party_id };
        ask(partner, { uid, type, to, location: asked }).then((outcome) => {
          const kept = trusted(partner, outcome);
          outcomes[index] = kept;
          if (kept.kind === 'answer' && kept.info.allowed === 'ALLOWED') resolve(fromAnswer(kept.info, asked));
          if (--pending === 0) settle();
        }, reject);
      });
    });
  }

  return {
    async authorize(request: AuthorizeRequest): Promise<AuthorizeDecision> {
      if (request.evse_uids !== undefined && request.location_id === undefined) throw OcpiError.badRequest('Invalid body: /evse_uids needs /location_id');
      const type = request.type ?? DEFAULT_TOKEN_TYPE;
      const asked = request.location_id === undefined ? undefined : { location_id: request.location_id, ...(request.evse_uids ? { evse_uids: request.evse_uids } : {}) };
      const cached = pickCached(await tokens.findByUid(request.uid.toUpperCase(), type));
      const decision = cached ? await forCached(cached, asked) : await forUnknown(request.uid, type, asked);
      if (decision.allowed === 'ALLOWED' && decision.authorization_reference && decision.token) {
        await references.keep(tokenKey(pathOfToken(decision.token)), request.location_id, decision.authorization_reference);
      }
      return decision;
    },
  };
}

/** Same owner party, uid and type (CiStrings compare case-insensitively; the type is an enum). */
function sameToken(answered: Token, cached: Token): boolean {
  return sameId(answered.country_code, cached.country_code) && sameId(answered.party_id, cached.party_id) && sameId(answered.uid, cached.uid) && answered.type === cached.type;
}

/**
 * The reference a session of `token` at `locationId` starting at `start` carries when the CSMS sent none: the
 * latest an eMSP gave when it allowed that token there (or without naming a location), at most
 * REFERENCE_MAX_AGE_MS before the start.
 */
export function authorizationReferenceFor(references: Pick<AuthorizationsRepository, 'latest'>) {
  return (token: CdrToken, locationId: string, start: string): Promise<string | undefined> => {
    const since = new Date(Date.parse(start) - REFERENCE_MAX_AGE_MS);
    return references.latest(tokenKey(pathOfToken(token)), locationId, Number.isNaN(since.getTime()) ? new Date(0) : since);
  };
}

export type AuthorizeService = ReturnType<typeof createAuthorizeService>;
