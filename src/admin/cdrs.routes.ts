import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { PaginationQuery, paginationHeaders, parsePageRequest } from '../ocpi/pagination';
import type { RouteKit } from '../ocpi/route-kit';
import { cdrObject } from '../modules/cdrs/cdrs.mapper';
import { CdrInput } from '../modules/cdrs/cdrs.schema';
import type { CdrsService } from '../modules/cdrs/cdrs.service';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

const OPERATOR = { kind: 'operator' } as const;
const CDR = '/:cdrId';
const DELIVERY = '/:cdrId/delivery';

export interface AdminCdrListOptions {
  /** Public URL of `/admin/cdrs`, for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

/** `/admin/cdrs`: finished CDRs as the CSMS reports them; immutable, so POST creates and nothing replaces. */
export function adminCdrsRoutes(service: CdrsService, list: AdminCdrListOptions, { respond, respondJsonItems }: RouteKit): AdminRouteGroup {
  return adminRouteGroup('/cdrs', 'cdrs', [
    route({ method: 'get', path: '/', summary: 'List CDRs (OCPI list rules)', query: PaginationQuery }, async (req, res) => {
      const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
      const page = await service.list(OPERATOR, request);
      res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, page, list.maxPageSize));
      respondJsonItems(res, page.items.map((item) => item.json));
    }),

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
