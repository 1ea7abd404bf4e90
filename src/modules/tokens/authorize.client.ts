import { callPartner, PartnerCallError } from '../../ocpi/outbound';
import type { Party } from '../../ocpi/routing-headers';
import { OcpiStatus } from '../../ocpi/status-codes';
import type { PartnerRecord } from '../credentials/partner.mapper';
import { AuthorizationInfo, type LocationReferences } from './authorize.schema';
import { tokensSenderUrl } from './tokens.client';
import type { TokenType } from './tokens.schema';

/**
 * What one real-time authorization call came to:
 * - `answer`: HTTP 2xx / 1xxx with a valid AuthorizationInfo (whose token the caller still has to trust);
 * - `unknown`: HTTP 404 or status 2004 ("unknown token", digest §3.5.2);
 * - `needs-location`: status 2002 (the eMSP needs LocationReferences);
 * - `unreachable`: no answer (connection failure, timeout), HTTP 5xx, or an OCPI server / hub error (3xxx, 4xxx):
 *   the eMSP could not decide, so the whitelist's offline rule applies;
 * - `failed`: it answered, but nothing usable (another 4xx or 2xxx, not OCPI, invalid data): refused.
 */
export type RealTimeOutcome =
  | { kind: 'answer'; info: AuthorizationInfo }
  | { kind: 'unknown' }
  | { kind: 'needs-location' }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'failed'; reason: string };

export interface RealTimeQuestion {
  uid: string;
  type: TokenType;
  /** The party the request is for (OCPI-to): the token's owner, or the partner's first role when unknown. */
  to: Party;
  location?: LocationReferences;
}

function classify(error: PartnerCallError): RealTimeOutcome {
  const { kind, httpStatus, ocpiStatus, message } = error;
  if (kind === 'unreachable') return { kind: 'unreachable', reason: message };
  if (ocpiStatus === OcpiStatus.UNKNOWN_TOKEN || httpStatus === 404) return { kind: 'unknown' };
  if (ocpiStatus === OcpiStatus.NOT_ENOUGH_INFORMATION) return { kind: 'needs-location' };
  if ((httpStatus !== undefined && httpStatus >= 500) || (ocpiStatus !== undefined && ocpiStatus >= 3000)) return { kind: 'unreachable', reason: message };
  return { kind: 'failed', reason: message };
}

/**
 * `POST {tokens}/{uid}/authorize?type=` at a partner's Tokens SENDER (digest §3.5.2), the LocationReferences
 * as body when the CSMS named a location, with routing headers (a functional module, digest §1.9), bounded by
 * `timeoutMs` (AUTHORIZE_TIMEOUT_MS: the driver is waiting at the charger).
 */
export function createAuthorizeClient(us: Party, timeoutMs: number) {
  return async function ask(partner: PartnerRecord, question: RealTimeQuestion): Promise<RealTimeOutcome> {
    const endpoint = tokensSenderUrl(partner);
    if (!endpoint || !partner.outboundToken) return { kind: 'unreachable', reason: `partner ${partner.id} has no tokens SENDER endpoint` };
    const url = `${endpoint}/${encodeURIComponent(question.uid)}/authorize?type=${question.type}`;
    const headers = {
      'OCPI-from-country-code': us.countryCode,
      'OCPI-from-party-id': us.partyId,
      'OCPI-to-country-code': question.to.countryCode,
      'OCPI-to-party-id': question.to.partyId,
    };
    try {
      const answer = await callPartner({ method: 'POST', url, token: partner.outboundToken, body: question.location, timeoutMs, headers }, AuthorizationInfo);
      return { kind: 'answer', info: answer.data };
    } catch (error) {
      if (error instanceof PartnerCallError) return classify(error);
      throw error;
    }
  };
}

export type AuthorizeClient = ReturnType<typeof createAuthorizeClient>;
