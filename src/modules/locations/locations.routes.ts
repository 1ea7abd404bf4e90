import { Router, type Response } from 'express';
import { callerOf, PARTNER_ROLES, type AccessPolicy } from '../../ocpi/auth';
import { answeredNotModified } from '../../ocpi/conditional-get';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../../ocpi/pagination';
import type { RouteKit } from '../../ocpi/route-kit';
import { routingHeaders, type Party } from '../../ocpi/routing-headers';
import { connectorObject, evseObject } from './locations.mapper';
import type { Audience, LocationsService } from './locations.service';

/** Every partner role pulls locations; anonymous callers too when the open-data feed is on. */
export const locationsPolicy: AccessPolicy = { roles: PARTNER_ROLES, openData: true };

export interface LocationsRouterOptions {
  us: Party;
  /** Public URL of this endpoint, for `Link` headers. */
  endpointUrl: string;
  maxPageSize: number;
}

function audienceOf(res: Response): Audience {
  return { publishedOnly: callerOf(res).kind === 'anonymous' };
}

/** The Locations SENDER interface (digest §3.1.1): paginated list and single objects, GET only. */
export function locationsRouter(service: LocationsService, options: LocationsRouterOptions, { guard, respond, respondJsonText, respondJsonItems }: RouteKit): Router {
  const router = Router();
  router.use(guard(locationsPolicy), routingHeaders(options.us));

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, options.maxPageSize);
    const page = await service.list(audienceOf(res), request);
    res.set(paginationHeaders(options.endpointUrl, req.query as Record<string, unknown>, request, page, options.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.get('/:locationId', async (req, res) => {
    const location = await service.locationJson(req.params.locationId, audienceOf(res));
    if (!answeredNotModified(req, res, location.version)) respondJsonText(res, location.json);
  });

  router.get('/:locationId/:evseUid', async (req, res) => {
    const { evse } = await service.evse(req.params.locationId, req.params.evseUid, audienceOf(res));
    if (!answeredNotModified(req, res, evse.version)) respond(res, evseObject(evse));
  });

  router.get('/:locationId/:evseUid/:connectorId', async (req, res) => {
    const { locationId, evseUid, connectorId } = req.params;
    const connector = await service.connector(locationId, evseUid, connectorId, audienceOf(res));
    if (!answeredNotModified(req, res, connector.version)) respond(res, connectorObject(connector));
  });

  router.all(['/', '/:locationId', '/:locationId/:evseUid', '/:locationId/:evseUid/:connectorId'], methodNotAllowed(['GET']));
  return router;
}
