import type { OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import { locationsPolicy, locationsRouter, type LocationsRouterOptions } from './locations.routes';
import type { LocationsService } from './locations.service';

export function locationsModule(service: LocationsService, options: LocationsRouterOptions, kit: RouteKit): OcpiModule {
  return {
    identifier: 'locations',
    role: 'SENDER',
    path: 'locations',
    router: locationsRouter(service, options, kit),
    visibleTo: locationsPolicy.roles,
    openData: true,
  };
}
