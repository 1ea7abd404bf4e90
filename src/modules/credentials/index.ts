import type { OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import { credentialsPolicy, credentialsRouter } from './credentials.routes';
import type { CredentialsService } from './credentials.service';

export function credentialsModule(service: CredentialsService, kit: RouteKit): OcpiModule {
  return {
    identifier: 'credentials',
    role: 'SENDER',
    path: 'credentials',
    router: credentialsRouter(service, kit),
    visibleTo: credentialsPolicy.roles,
  };
}
