import { Router } from 'express';
import type { RouteKit } from '../ocpi/route-kit';
import { adminPartnersRouter } from './partners.routes';
import type { PartnersService } from './partners.service';

export interface AdminServices {
  partners: PartnersService;
}

/** `/admin`: the operator's API, admin tokens only (`Bearer` or `Token`). */
export function adminRouter(services: AdminServices, ocpiVersionsUrl: string, kit: RouteKit): Router {
  const router = Router();
  router.use(kit.guard({ roles: ['ADMIN'] }));
  router.use('/partners', adminPartnersRouter(services.partners, ocpiVersionsUrl, kit));
  return router;
}
