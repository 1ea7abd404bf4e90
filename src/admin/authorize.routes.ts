import type { RouteKit } from '../ocpi/route-kit';
import { AuthorizeRequest } from '../modules/tokens/authorize.schema';
import type { AuthorizeService } from '../modules/tokens/authorize.service';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

/** `POST /admin/authorize`: the CSMS asks whether a token may charge (here); 200 with the decision, whatever it is. */
export function adminAuthorizeRoutes(service: AuthorizeService, { respond }: RouteKit): AdminRouteGroup {
  return adminRouteGroup('/authorize', 'authorize', [
    route({ method: 'post', path: '/', summary: 'May this token charge (here)? The decision, whatever it is', body: AuthorizeRequest }, async (_req, res, body) => {
      respond(res, await service.authorize(body));
    }),
  ]);
}
