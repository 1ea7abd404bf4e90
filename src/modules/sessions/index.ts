import type { OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import type { ChargingPreferencesService } from './charging-preferences.service';
import type { OwnersOf } from './session-owners';
import { sessionsPolicy, sessionsRouter, type SessionsRouterOptions } from './sessions.routes';
import type { SessionsService } from './sessions.service';

export function sessionsModule(
  service: SessionsService,
  preferences: ChargingPreferencesService,
  ownersOf: OwnersOf,
  options: SessionsRouterOptions,
  kit: RouteKit,
): OcpiModule {
  return {
    identifier: 'sessions',
    role: 'SENDER',
    path: 'sessions',
    router: sessionsRouter(service, preferences, ownersOf, options, kit),
    visibleTo: sessionsPolicy.roles,
  };
}
