import { Router, type Request, type Response } from 'express';
import { callerOf, type AccessPolicy } from '../../ocpi/auth';
import { answeredNotModified } from '../../ocpi/conditional-get';
import { setEtag } from '../../ocpi/etag';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import { readPreconditions } from '../../ocpi/preconditions';
import type { RouteKit } from '../../ocpi/route-kit';
import { routingHeaders, type Party } from '../../ocpi/routing-headers';
import { validate } from '../../ocpi/validate';
import type { OwnersOf } from '../sessions/session-owners';
import { tokenObject, type TokenPath } from './tokens.mapper';
import { DEFAULT_TOKEN_TYPE, Token, TokenPatch, TokenQuery } from './tokens.schema';
import type { TokenCaller, TokensService } from './tokens.service';

/**
 * The roles that push tokens (digest §3.5: the eMSP owns them; a hub may route them), each only under
 * the parties of its own credentials roles; never anonymous. NSPs, NAPs, SCSPs and CPOs do not.
 */
export const tokensPolicy: AccessPolicy = { roles: ['EMSP', 'HUB'] };

export interface TokensRouterOptions {
  us: Party;
}

export const TOKEN_PATH = '/:countryCode/:partyId/:uid';

/** The token a request names: path ids and `?type=` (RFID when absent; a bad value is 400 / 2001). */
export function tokenPathOf(req: Request): TokenPath {
  const { type = DEFAULT_TOKEN_TYPE } = validate(TokenQuery, { type: req.query.type }, 'query');
  const { countryCode, partyId, uid } = req.params as Record<string, string>;
  return { countryCode: countryCode!, partyId: partyId!, uid: uid!, type };
}

/** The Tokens RECEIVER interface (digest §3.5.1): GET, PUT and PATCH of one token. */
export function tokensRouter(service: TokensService, ownersOf: OwnersOf, options: TokensRouterOptions, { guard, respond }: RouteKit): Router {
  const router = Router();
  router.use(guard(tokensPolicy), routingHeaders(options.us));

  async function callerFrom(res: Response): Promise<TokenCaller> {
    const caller = callerOf(res);
    const partnerId = caller.kind === 'token' ? caller.partnerId : undefined;
    return { partnerId: partnerId ?? null, parties: await ownersOf(partnerId) };
  }

  router.get(TOKEN_PATH, async (req, res) => {
    const token = await service.getFor(tokenPathOf(req), await callerFrom(res));
    if (!answeredNotModified(req, res, token.version)) respond(res, tokenObject(token));
  });

  router.put(TOKEN_PATH, async (req, res) => {
    const [path, caller] = [tokenPathOf(req), await callerFrom(res)];
    service.mustHoldParty(path, caller);
    const { token, created } = await service.put(path, validate(Token, req.body), caller, readPreconditions(req));
    setEtag(res, token.version);
    respond(res, undefined, created ? 201 : 200);
  });

  router.patch(TOKEN_PATH, async (req, res) => {
    const [path, caller] = [tokenPathOf(req), await callerFrom(res)];
    service.mustHoldParty(path, caller);
    const token = await service.patch(path, validate(TokenPatch, req.body), caller, readPreconditions(req));
    setEtag(res, token.version);
    respond(res);
  });

  router.all(TOKEN_PATH, methodNotAllowed(['GET', 'PUT', 'PATCH']));
  return router;
}
