import { answeredNotModified } from '../ocpi/conditional-get';
import type { RouteKit } from '../ocpi/route-kit';
import { tokenObject } from '../modules/tokens/tokens.mapper';
import { TOKEN_PATH, tokenPathOf } from '../modules/tokens/tokens.routes';
import { TokenQuery } from '../modules/tokens/tokens.schema';
import type { TokensService } from '../modules/tokens/tokens.service';
import { adminListRoute, type AdminListOptions } from './admin-list-route';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

/** `/admin/tokens`: the tokens partners pushed or we pulled, read-only (the eMSPs own them); GETs answer with ETags. */
export function adminTokensRoutes(service: TokensService, list: AdminListOptions, kit: RouteKit): AdminRouteGroup {
  const { respond } = kit;
  return adminRouteGroup('/tokens', 'tokens', [
    adminListRoute('List the tokens partners pushed or we pulled (OCPI list rules)', list, kit, (request) => service.list(request)),

    route({ method: 'get', path: TOKEN_PATH, summary: 'A token (type RFID when not given)', query: TokenQuery }, async (req, res) => {
      const token = await service.get(tokenPathOf(req));
      if (!answeredNotModified(req, res, token.version)) respond(res, tokenObject(token));
    }),
  ]);
}
