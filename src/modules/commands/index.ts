import type { OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import type { Party } from '../../ocpi/routing-headers';
import type { OwnersOf } from '../sessions/session-owners';
import { commandsPolicy, commandsRouter } from './commands.routes';
import type { CommandsService } from './commands.service';

export function commandsModule(service: CommandsService, ownersOf: OwnersOf, options: { us: Party }, kit: RouteKit): OcpiModule {
  return {
    identifier: 'commands',
    role: 'RECEIVER',
    path: 'commands',
    router: commandsRouter(service, ownersOf, options, kit),
    visibleTo: commandsPolicy.roles,
  };
}
