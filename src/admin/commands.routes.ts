import type { RouteKit } from '../ocpi/route-kit';
import type { CommandRecord } from '../modules/commands/commands.repository';
import { CommandResult } from '../modules/commands/commands.schema';
import type { CommandsService } from '../modules/commands/commands.service';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

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
export function adminCommandsRoutes(service: CommandsService, { respond }: RouteKit): AdminRouteGroup {
  return adminRouteGroup('/commands', 'commands', [
    route({ method: 'get', path: '/:id', summary: 'A command an eMSP sent, with its result and whether the eMSP has it' }, async (req, res) => {
      const command = await service.get(req.params.id);
      respond(res, adminCommand(command, command.deliveredAt));
    }),

    route({ method: 'post', path: '/:id/result', summary: "The CSMS reports a command's outcome (once)", body: CommandResult }, async (req, res, body) => {
      const record = await service.reportResult(req.params.id, body);
      respond(res, adminCommand(record, undefined));
    }),
  ]);
}
