import { Router, type Response } from 'express';
import { callerOf, type AccessPolicy } from '../../ocpi/auth';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../../ocpi/pagination';
import type { RouteKit } from '../../ocpi/route-kit';
import { routingHeaders, type Party } from '../../ocpi/routing-headers';
import { validate } from '../../ocpi/validate';
import type { ChargingPreferencesService } from './charging-preferences.service';
import type { OwnersOf } from './session-owners';
import { ChargingPreferences } from './sessions.schema';
import type { SessionsService } from './sessions.service';

/**
 * The roles sessions are for (digest §3.2.2: eMSP and SCSP receive them; a hub may route them); each
 * caller still sees only the sessions of its own parties' tokens. NSPs, NAPs and other CPOs do not.
 */
export const sessionsPolicy: AccessPolicy = { roles: ['EMSP', 'SCSP', 'HUB'] };

export interface SessionsRouterOptions {
  us: Party;
  /** Public URL of this endpoint, for `Link` headers. */
  endpointUrl: string;
  maxPageSize: number;
}

const partnerIdOf = (res: Response) => {
  const caller = callerOf(res);
  return caller.kind === 'token' ? caller.partnerId : undefined;
};

const PREFERENCES = '/:sessionId/charging_preferences';

/** The Sessions SENDER interface (digest §3.2.1): the caller's own sessions, and charging preferences. */
export function sessionsRouter(
  service: SessionsService,
  preferences: ChargingPreferencesService,
  ownersOf: OwnersOf,
  options: SessionsRouterOptions,
  { guard, respond, respondJsonItems }: RouteKit,
): Router {
  const router = Router();
  router.use(guard(sessionsPolicy), routingHeaders(options.us));

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, options.maxPageSize);
    const page = await service.list(await ownersOf(partnerIdOf(res)), request);
    res.set(paginationHeaders(options.endpointUrl, req.query as Record<string, unknown>, request, page, options.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.put(PREFERENCES, async (req, res) => {
    const body = validate(ChargingPreferences, req.body);
    respond(res, await preferences.set(req.params.sessionId, await ownersOf(partnerIdOf(res)), body));
  });

  router.all('/', methodNotAllowed(['GET']));
  router.all(PREFERENCES, methodNotAllowed(['PUT']));
  return router;
}
