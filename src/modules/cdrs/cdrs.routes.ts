import { Router, type Response } from 'express';
import { callerOf, type AccessPolicy } from '../../ocpi/auth';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../../ocpi/pagination';
import type { RouteKit } from '../../ocpi/route-kit';
import { routingHeaders, type Party } from '../../ocpi/routing-headers';
import type { CdrAudience, CdrsService } from './cdrs.service';

/**
 * The roles CDRs are for (digest §3.3: the eMSP that pays; a hub may route them), each seeing only its
 * own (the parties of its credentials roles); never anonymous. NSPs, NAPs, SCSPs and other CPOs do not.
 */
export const cdrsPolicy: AccessPolicy = { roles: ['EMSP', 'HUB'] };

export interface CdrsRouterOptions {
  us: Party;
  /** Public URL of this endpoint, for `Link` headers. */
  endpointUrl: string;
  maxPageSize: number;
}

function audienceOf(res: Response): CdrAudience {
  const caller = callerOf(res);
  return { kind: 'partner', partnerId: caller.kind === 'token' ? caller.partnerId : undefined };
}

/** The CDRs SENDER interface (digest §3.3.1): the paginated list, GET only (OCPI has no GET of one CDR here). */
export function cdrsRouter(service: CdrsService, options: CdrsRouterOptions, { guard, respondJsonItems }: RouteKit): Router {
  const router = Router();
  router.use(guard(cdrsPolicy), routingHeaders(options.us));

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, options.maxPageSize);
    const page = await service.list(audienceOf(res), request);
    res.set(paginationHeaders(options.endpointUrl, req.query as Record<string, unknown>, request, page, options.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.all('/', methodNotAllowed(['GET']));
  return router;
}
