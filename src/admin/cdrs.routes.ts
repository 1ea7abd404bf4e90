import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import type { RouteKit } from '../ocpi/route-kit';
import { cdrObject } from '../modules/cdrs/cdrs.mapper';
import { CdrInput } from '../modules/cdrs/cdrs.schema';
import type { CdrsService } from '../modules/cdrs/cdrs.service';
import { adminListRoute, type AdminListOptions } from './admin-list-route';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

const OPERATOR = { kind: 'operator' } as const;
const CDR = '/:cdrId';
const DELIVERY = '/:cdrId/delivery';

/** `/admin/cdrs`: finished CDRs as the CSMS reports them; immutable, so POST creates and nothing replaces. */
export function adminCdrsRoutes(service: CdrsService, list: AdminListOptions, kit: RouteKit): AdminRouteGroup {
  const { respond } = kit;
  return adminRouteGroup('/cdrs', 'cdrs', [
    adminListRoute('List CDRs (OCPI list rules)', list, kit, (request) => service.list(OPERATOR, request)),

    route({ method: 'post', path: '/', summary: 'Store a finished CDR (immutable: the same id again is 409)', body: CdrInput, status: 201 }, async (_req, res, body) => {
      const cdr = await service.create(body);
      setEtag(res, cdr.version);
      respond(res, cdrObject(cdr), 201);
    }),

    route({ method: 'get', path: CDR, summary: 'A CDR' }, async (req, res) => {
      const cdr = await service.get(req.params.cdrId);
      if (!answeredNotModified(req, res, cdr.version)) respond(res, cdrObject(cdr));
    }),

    route({ method: 'get', path: DELIVERY, summary: "Where a CDR stands at each partner's receiver" }, async (req, res) => {
      respond(res, await service.deliveries(req.params.cdrId));
    }),
  ]);
}
