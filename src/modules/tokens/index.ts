import type { OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import type { OwnersOf } from '../sessions/session-owners';
import { tokensPolicy, tokensRouter, type TokensRouterOptions } from './tokens.routes';
import type { TokensService } from './tokens.service';

export function tokensModule(service: TokensService, ownersOf: OwnersOf, options: TokensRouterOptions, kit: RouteKit): OcpiModule {
  return {
    identifier: 'tokens',
    role: 'RECEIVER',
    path: 'tokens',
    router: tokensRouter(service, ownersOf, options, kit),
    visibleTo: tokensPolicy.roles,
  };
}
