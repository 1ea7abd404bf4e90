import { Router } from 'express';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import type { RouteKit } from '../ocpi/route-kit';
import { validate } from '../ocpi/validate';
import type { CommandRecord } from '../modules/commands/commands.repository';
import { CommandResult } from '../modules/commands/commands.schema';
import type { CommandsService } from '../modules/commands/commands.service';

/** A command as the operator sees it: what the eMSP asked, what we answered, its result and whether the eMSP has it. */
function adminCommand(record: CommandRecord, deliveredAt: Date | undefined) {
  return {
    id: record.id,
    partner_id: record.partnerId,
    command: record.command,
    request: record.request,
    location_id: record.locationId,
    evse_uid: record.evseUid,
    connector_id: record.connectorId,
    reservation_id: record.reservationId,
    status: record.status,
    result: record.result?.result ?? null,
    message: record.result?.message ?? null,
    deadline: record.deadline.toISOString(),
    created_at: record.createdAt.toISOString(),
    result_at: record.resultAt?.toISOString() ?? null,
    delivered_at: deliveredAt?.toISOString() ?? null,
  };
}

/** `/admin/commands`: read a command; the CSMS reports its outcome (`{ result, message? }`) once. */
export function adminCommandsRouter(service: CommandsService, { respond }: RouteKit): Router {
  const router = Router();

  router.get('/:id', async (req, res) => {
    const command = await service.get(req.params.id as string);
    respond(res, adminCommand(command, command.deliveredAt));
  });

  router.post('/:id/result', async (req, res) => {
    const record = await service.reportResult(req.params.id as string, validate(CommandResult, req.body));
    respond(res, adminCommand(record, undefined));
  });

  router.all('/:id', methodNotAllowed(['GET']));
  router.all('/:id/result', methodNotAllowed(['POST']));
  return router;
}
