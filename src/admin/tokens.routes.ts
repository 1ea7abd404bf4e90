import { answeredNotModified } from '../ocpi/conditional-get';
import { PaginationQuery, paginationHeaders, parsePageRequest } from '../ocpi/pagination';
import type { RouteKit } from '../ocpi/route-kit';
import { tokenObject } from '../modules/tokens/tokens.mapper';
import { TOKEN_PATH, tokenPathOf } from '../modules/tokens/tokens.routes';
import { TokenQuery } from '../modules/tokens/tokens.schema';
import type { TokensService } from '../modules/tokens/tokens.service';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

export interface AdminTokenListOptions {
  /** Public URL of `/admin/tokens`, for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

/** `/admin/tokens`: the tokens partners pushed or we pulled, read-only (the eMSPs own them); GETs answer with ETags. */
export function adminTokensRoutes(service: TokensService, list: AdminTokenListOptions, { respond, respondJsonItems }: RouteKit): AdminRouteGroup {
  return adminRouteGroup('/tokens', 'tokens', [
    route({ method: 'get', path: '/', summary: 'List the tokens partners pushed or we pulled (OCPI list rules)', query: PaginationQuery }, async (req, res) => {
      const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
      const page = await service.list(request);
      res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, page, list.maxPageSize));
      respondJsonItems(res, page.items.map((item) => item.json));
    }),

    route({ method: 'get', path: TOKEN_PATH, summary: 'A token (type RFID when not given)', query: TokenQuery }, async (req, res) => {
      const token = await service.get(tokenPathOf(req));
      if (!answeredNotModified(req, res, token.version)) respond(res, tokenObject(token));
    }),
  ]);
}
