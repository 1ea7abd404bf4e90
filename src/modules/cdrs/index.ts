import type { OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import { cdrsPolicy, cdrsRouter, type CdrsRouterOptions } from './cdrs.routes';
import type { CdrsService } from './cdrs.service';

export function cdrsModule(service: CdrsService, options: CdrsRouterOptions, kit: RouteKit): OcpiModule {
  return {
    identifier: 'cdrs',
    role: 'SENDER',
    path: 'cdrs',
    router: cdrsRouter(service, options, kit),
    visibleTo: cdrsPolicy.roles,
  };
}
