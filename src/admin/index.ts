import { Router } from 'express';
import type { RouteKit } from '../ocpi/route-kit';
import { adminPartnersRouter } from './partners.routes';
import type { PartnersService } from './partners.service';
import { adminLocationsRouter } from './locations.routes';
import type { LocationAdminService } from '../modules/locations/location-admin.service';
import type { LocationsService } from '../modules/locations/locations.service';

export interface AdminServices {
  partners: PartnersService;
  locations: LocationsService;
  locationAdmin: LocationAdminService;
}

/** `/admin`: the operator's API, admin tokens only (`Bearer` or `Token`). */
export function adminRouter(services: AdminServices, ocpiVersionsUrl: string, kit: RouteKit): Router {
  const router = Router();
  router.use(kit.guard({ roles: ['ADMIN'] }));
  router.use('/partners', adminPartnersRouter(services.partners, ocpiVersionsUrl, kit));
  router.use('/locations', adminLocationsRouter(services.locationAdmin, services.locations, kit));
  return router;
}
