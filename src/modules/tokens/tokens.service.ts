import { OcpiError } from '../../ocpi/ocpi-error';
import { parseDateTime, type Page, type PageRequest } from '../../ocpi/pagination';
import { checkNotStale, checkPreconditions, type Preconditions } from '../../ocpi/preconditions';
import type { Party } from '../../ocpi/routing-headers';
import { OcpiStatus } from '../../ocpi/status-codes';
import { isPossibleId } from '../../ocpi/types';
import { conforms } from '../../ocpi/validate';
import { jsonEqual } from '../../platform/json-equal';
import { pathOfToken, tokenData, tokenKey, tokenObject, type TokenPath } from './tokens.mapper';
import type { TokenJson, TokenPlanner, TokenRecord, TokensRepository } from './tokens.repository';
import { Token, type TokenPatch } from './tokens.schema';

/** Who writes or reads through the receiver: a partner and the parties it holds (upper-cased). */
export interface TokenCaller {
  partnerId: string | null;
  parties: Party[];
}

/** What storing one token did: written (created or changed), already as sent, or refused as older than ours. */
export type StoreOutcome = 'written' | 'unchanged' | 'stale';

const describe = (path: TokenPath) => `${path.countryCode}/${path.partyId}/${path.uid} (${path.type})`;

export function unknownToken(path: TokenPath): OcpiError {
  return OcpiError.notFound(`Unknown token ${describe(path)}`, OcpiStatus.UNKNOWN_TOKEN);
}

/**
 * A path under a party the caller does not hold: the same answer whether or not such a token exists,
 * before anything is read or written (digest §1.11: "may answer 404").
 */
function notYourParty(path: TokenPath): OcpiError {
  return OcpiError.notFound(`No party ${path.countryCode}/${path.partyId} among your credentials roles`, OcpiStatus.CLIENT_ERROR);
}

export function holdsPathParty(parties: Party[], path: Pick<TokenPath, 'countryCode' | 'partyId'>): boolean {
  const cc = path.countryCode.toUpperCase();
  const pid = path.partyId.toUpperCase();
  return parties.some((p) => p.countryCode.toUpperCase() === cc && p.partyId.toUpperCase() === pid);
}

/** Path ids and body ids name the same token (CiStrings compare case-insensitively; `type` is an enum). */
function idMismatches(path: TokenPath, body: Partial<Pick<Token, 'country_code' | 'party_id' | 'uid' | 'type'>>): string[] {
  const problems: string[] = [];
  const same = (a: string | undefined, b: string) => a === undefined || a.toUpperCase() === b.toUpperCase();
  if (!same(body.country_code, path.countryCode)) problems.push(`/country_code must equal the country_code in the path (${path.countryCode})`);
  if (!same(body.party_id, path.partyId)) problems.push(`/party_id must equal the party_id in the path (${path.partyId})`);
  if (!same(body.uid, path.uid)) problems.push(`/uid must equal the uid in the path (${path.uid})`);
  if (body.type !== undefined && body.type !== path.type) problems.push(`/type must equal the type query parameter (${path.type}, RFID when absent)`);
  return problems;
}

function mustAgree(path: TokenPath, body: Parameters<typeof idMismatches>[1]): void {
  const problems = idMismatches(path, body);
  if (problems.length > 0) throw OcpiError.badRequest(`Invalid body: ${problems.join('; ')}`);
}

/**
 * Plans storing `token` (already checked against the path): nothing when we hold it as sent, refused
 * when its `last_updated` is older than ours (preconditions.ts), else the new state.
 */
function replacing(token: Record<string, unknown> & { last_updated: string }, partnerId: string | null, pre: Preconditions, outcome: { stale?: boolean }): TokenPlanner {
  return (stored) => {
    checkPreconditions(pre, stored?.version);
    const data = tokenData(token);
    const lastUpdated = parseDateTime(token.last_updated);
    if (stored && jsonEqual(stored.data, data) && stored.lastUpdated.getTime() === lastUpdated.getTime()) return undefined;
    if (stored && lastUpdated.getTime() < stored.lastUpdated.getTime()) {
      if (outcome.stale !== undefined) {
        outcome.stale = true;
        return undefined;
      }
      checkNotStale(token.last_updated, stored.lastUpdated, parseDateTime);
    }
    return { data, lastUpdated, partnerId };
  };
}

/** The eMSPs' tokens: the Tokens RECEIVER (digest §3.5.1), the pull of their SENDER lists, and the admin API. */
export function createTokensService(repository: TokensRepository) {
  /** 404 / 2000 unless the caller holds the path's party. */
  function mustHoldParty(path: TokenPath, caller: TokenCaller): void {
    if (!holdsPathParty(caller.parties, path)) throw notYourParty(path);
  }

  /** Any token (the admin API). */
  async function get(path: TokenPath): Promise<TokenRecord> {
    const possible = isPossibleId(path.countryCode, 2) && isPossibleId(path.partyId, 3) && isPossibleId(path.uid);
    const found = possible ? await repository.find(tokenKey(path)) : undefined;
    if (!found) throw unknownToken(path);
    return found;
  }

  return {
    mustHoldParty,
    get,

    /** A token of one of the caller's parties (the receiver's GET). */
    async getFor(path: TokenPath, caller: TokenCaller): Promise<TokenRecord> {
      mustHoldParty(path, caller);
      return get(path);
    },

    list(request: PageRequest): Promise<Page<TokenJson>> {
      return repository.list({ dateFrom: request.dateFrom, dateTo: request.dateTo, offset: request.offset, limit: request.limit, after: request.after });
    },

    /** Create or replace (the receiver's PUT); a token equal to what is stored changes nothing. */
    async put(path: TokenPath, body: Token, caller: TokenCaller, pre: Preconditions): Promise<{ token: TokenRecord; created: boolean }> {
      mustHoldParty(path, caller);
      mustAgree(path, body);
      const { token, created } = await repository.write(tokenKey(path), replacing(body, caller.partnerId, pre, {}));
      return { token: token!, created };
    },

    /** Changes the given fields of a stored token (the receiver's PATCH); unknown → 404 / 2004. */
    async patch(path: TokenPath, body: TokenPatch, caller: TokenCaller, pre: Preconditions): Promise<TokenRecord> {
      mustHoldParty(path, caller);
      mustAgree(path, body);
      const { token } = await repository.write(tokenKey(path), (stored) => {
        if (!stored) throw unknownToken(path);
        const merged = { ...tokenObject(stored), ...body };
        if (!conforms(Token, merged)) throw OcpiError.badRequest('Invalid body: the patched token is not a valid Token');
        return replacing(merged, caller.partnerId, pre, {})(stored);
      });
      return token!;
    },

    /**
     * A token pulled from `caller`'s sender list, by the receiver's rules: undefined when it is under a
     * party the caller does not hold (nothing stored); an older one than ours is left alone (`stale`).
     */
    async storePulled(token: Token, caller: TokenCaller): Promise<StoreOutcome | undefined> {
      const path = pathOfToken(token);
      if (!holdsPathParty(caller.parties, path)) return undefined;
      const outcome: { stale?: boolean } = { stale: false };
      const { changed } = await repository.write(tokenKey(path), replacing(token, caller.partnerId, { createOnly: false }, outcome));
      return changed ? 'written' : outcome.stale ? 'stale' : 'unchanged';
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
