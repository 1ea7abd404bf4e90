import { PaginationQuery, paginationHeaders, parsePageRequest, type Page, type PageRequest } from '../ocpi/pagination';
import type { RouteKit } from '../ocpi/route-kit';
import { route, type AdminRoute } from './admin-route';

export interface AdminListOptions {
  /** Public URL of the list (e.g. `/admin/tariffs`), for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

/**
 * `GET /` of an admin collection: the OCPI list rules (offset, limit, date_from, date_to, our cursors;
 * unknown parameters refused), `X-Total-Count`, `X-Limit` and `Link`, the items as the JSON text stored.
 */
export function adminListRoute(summary: string, list: AdminListOptions, kit: RouteKit, page: (request: PageRequest) => Promise<Page<{ json: string }>>): AdminRoute {
  return route({ method: 'get', path: '/', summary, query: PaginationQuery }, async (req, res) => {
    const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
    const found = await page(request);
    res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, found, list.maxPageSize));
    kit.respondJsonItems(res, found.items.map((item) => item.json));
  });
}
