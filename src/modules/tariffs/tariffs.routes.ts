import { Router, type Response } from 'express';
import { callerOf, PARTNER_ROLES, type AccessPolicy } from '../../ocpi/auth';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../../ocpi/pagination';
import type { RouteKit } from '../../ocpi/route-kit';
import { routingHeaders, type Party } from '../../ocpi/routing-headers';
import type { TariffAudience, TariffsService } from './tariffs.service';

/** Every partner role pulls tariffs; anonymous callers too when the open-data feed is on (AFIR ad-hoc prices). */
export const tariffsPolicy: AccessPolicy = { roles: PARTNER_ROLES, openData: true };

export interface TariffsRouterOptions {
  us: Party;
  /** Public URL of this endpoint, for `Link` headers. */
  endpointUrl: string;
  maxPageSize: number;
}

function audienceOf(res: Response): TariffAudience {
  return { publishedOnly: callerOf(res).kind === 'anonymous' };
}

/** The Tariffs SENDER interface (digest §3.4.1): the paginated list, GET only. */
export function tariffsRouter(service: TariffsService, options: TariffsRouterOptions, { guard, respondJsonItems }: RouteKit): Router {
  const router = Router();
  router.use(guard(tariffsPolicy), routingHeaders(options.us));

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, options.maxPageSize);
    const page = await service.list(audienceOf(res), request);
    res.set(paginationHeaders(options.endpointUrl, req.query as Record<string, unknown>, request, page, options.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.all('/', methodNotAllowed(['GET']));
  return router;
}
