import { Router, type Response } from 'express';
import { callerOf, type AccessPolicy } from '../../ocpi/auth';
import { envelope } from '../../ocpi/envelope';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import { OcpiError } from '../../ocpi/ocpi-error';
import type { RouteKit } from '../../ocpi/route-kit';
import { routingHeaders, type Party } from '../../ocpi/routing-headers';
import { OcpiStatus } from '../../ocpi/status-codes';
import { validate } from '../../ocpi/validate';
import type { OwnersOf } from '../sessions/session-owners';
import { COMMAND_BODIES, COMMAND_TYPES, type CommandType } from './commands.schema';
import type { CommandCaller, CommandsService } from './commands.service';

/** eMSPs send commands (digest §3.6), and hubs routing theirs; each only with tokens and sessions of its own parties. */
export const commandsPolicy: AccessPolicy = { roles: ['EMSP', 'HUB'] };

const isCommandType = (value: string): value is CommandType => (COMMAND_TYPES as readonly string[]).includes(value);

/** The Commands RECEIVER interface (digest §3.6.1): `POST {commands_url}/{command}`, answered with a CommandResponse. */
export function commandsRouter(service: CommandsService, ownersOf: OwnersOf, options: { us: Party }, { guard, respond, clock }: RouteKit): Router {
  const router = Router();
  router.use(guard(commandsPolicy), routingHeaders(options.us));

  async function callerFrom(res: Response): Promise<CommandCaller> {
    const caller = callerOf(res);
    const partnerId = caller.kind === 'token' ? caller.partnerId : undefined;
    if (!partnerId) throw OcpiError.unauthorized();
    return { partnerId, parties: await ownersOf(partnerId) };
  }

  router.post('/:command', async (req, res) => {
    const command = req.params.command as string;
    if (!isCommandType(command)) throw OcpiError.notFound(`Unknown command ${command}`);
    const body = validate(COMMAND_BODIES[command], req.body);
    const { response, unknownLocation } = await service.receive(command, body, await callerFrom(res));
    if (!unknownLocation) return respond(res, response);
    // Digest §1.7: an unknown location, EVSE or connector is HTTP 200 with 2003 and `{ result: REJECTED }`.
    res.status(200).json(envelope(clock.now(), response, OcpiStatus.UNKNOWN_LOCATION, response.message?.[0]?.text));
  });

  router.all('/:command', methodNotAllowed(['POST']));
  return router;
}
