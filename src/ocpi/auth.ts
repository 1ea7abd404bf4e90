import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import { currentContext } from '../platform/request-context';
import { OcpiError } from './ocpi-error';

/** The role a partner's token carries (and a registration token will carry once its party is registered). */
export type PartnerRole = 'CPO' | 'EMSP' | 'HUB' | 'NAP' | 'NSP' | 'OTHER' | 'SCSP';

/** What a token may do. REGISTRATION is a token A, or any token of a partner not (yet) registered. */
export type CallerRole = 'ADMIN' | 'REGISTRATION' | PartnerRole;

export const PARTNER_ROLES: readonly PartnerRole[] = ['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP'];

export interface TokenCaller {
  kind: 'token';
  tokenId: string;
  role: CallerRole;
  partnerId: string | undefined;
  /** For a REGISTRATION caller: the role its party will hold once registered (what its token carries). */
  prospectiveRole?: PartnerRole;
  /** The secret as presented, so GET credentials can return the token the caller uses. */
  secret: string;
}

export type Caller = TokenCaller | { kind: 'anonymous' };

export interface ResolvedToken {
  tokenId: string;
  role: CallerRole;
  partnerId: string | undefined;
  prospectiveRole?: PartnerRole;
}

/** Finds the active token among the candidate secrets (first match wins); undefined when none is known. */
export type TokenResolver = (candidates: string[]) => Promise<{ secret: string; token: ResolvedToken } | undefined>;

export interface AccessPolicy {
  roles: readonly CallerRole[];
  /** Anonymous callers are let in when the node's open-data feed is on. */
  openData?: boolean;
}

const SCHEME = /^(Token|Bearer) +(\S+)$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The secrets a header may stand for: `Token <base64(token)>` per OCPI 2.2.1, and the raw token that
 * legacy peers (and `Bearer` admin callers) send. Decoded first, so a raw token that happens to be
 * valid Base64 still resolves when the decoded form matches nothing.
 */
export function candidateSecrets(header: string): string[] | undefined {
  const match = SCHEME.exec(header.trim());
  if (!match) return undefined;
  const presented = match[2] as string;
  const candidates: string[] = [];
  if (BASE64.test(presented) && presented.length % 4 === 0) {
    const decoded = Buffer.from(presented, 'base64').toString('utf8');
    if (/^[\x21-\x7E]+$/.test(decoded)) candidates.push(decoded);
  }
  candidates.push(presented);
  return candidates;
}

/**
 * candidateSecrets per header, for the headers partners send again and again (never trusted: resolve
 * decides). Bounded by bytes: a header is the caller's to choose, up to Node's 16 KB.
 */
function memoizedCandidates(maxBytes = 256 * 1024) {
  const memo = new LRUCache<string, { candidates: string[] | undefined }>({ maxSize: maxBytes, sizeCalculation: (_value, header) => 4 * header.length + 100 });
  return (header: string): string[] | undefined => {
    const known = memo.get(header);
    if (known) return known.candidates;
    const candidates = candidateSecrets(header);
    memo.set(header, { candidates });
    return candidates;
  };
}

export function authenticate(resolve: TokenResolver): RequestHandler {
  const candidatesOf = memoizedCandidates();
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    if (header === undefined) {
      res.locals.caller = { kind: 'anonymous' } satisfies Caller;
      return next();
    }
    const candidates = candidatesOf(header);
    const found = candidates && (await resolve(candidates));
    if (!found) throw OcpiError.unauthorized();
    const context = currentContext();
    if (context && found.token.partnerId) context.partnerId = found.token.partnerId;
    res.locals.caller = { kind: 'token', secret: found.secret, ...found.token } satisfies Caller;
    next();
  };
}

export function callerOf(res: Response): Caller {
  return (res.locals.caller as Caller | undefined) ?? { kind: 'anonymous' };
}

export function isAllowed(caller: Caller, policy: AccessPolicy, openDataEnabled: boolean): boolean {
  if (caller.kind === 'anonymous') return policy.openData === true && openDataEnabled;
  return policy.roles.includes(caller.role);
}

/** Declared on every route: who may call it. Everyone else gets 401 with the envelope. */
export function allow(policy: AccessPolicy, openDataEnabled: boolean): RequestHandler {
  return (_req, res, next) => {
    const caller = callerOf(res);
    if (isAllowed(caller, policy, openDataEnabled)) return next();
    if (caller.kind === 'anonymous') throw OcpiError.unauthorized('Authorization header required');
    throw OcpiError.unauthorized(
      caller.role === 'REGISTRATION'
        ? 'A registration token (token A) may only be used on versions and credentials'
        : 'This token may not use this endpoint',
    );
  };
}

export function tokenCaller(res: Response): TokenCaller {
  const caller = callerOf(res);
  if (caller.kind !== 'token') throw OcpiError.unauthorized();
  return caller;
}
