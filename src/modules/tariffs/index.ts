import type { OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import { tariffsPolicy, tariffsRouter, type TariffsRouterOptions } from './tariffs.routes';
import type { TariffsService } from './tariffs.service';

export function tariffsModule(service: TariffsService, options: TariffsRouterOptions, kit: RouteKit): OcpiModule {
  return {
    identifier: 'tariffs',
    role: 'SENDER',
    path: 'tariffs',
    router: tariffsRouter(service, options, kit),
    visibleTo: tariffsPolicy.roles,
    openData: true,
  };
}
