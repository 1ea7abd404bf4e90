import type { DeliveryHandler } from '../../push/delivery-handler';
import { MODULE, type CommandForDelivery } from './commands.repository';
import type { CommandResult } from './commands.schema';
import { noCommandMetrics, type CommandRecorder } from './command-metrics';

/** What the eMSP acknowledged of a command: the result it was sent. */
export interface CommandReceipt {
  result: string;
}

/** Claimed before its result is known (only an operator's retry of a failed delivery can do that): tried again later. */
export class ResultNotKnownYet extends Error {
  constructor(id: string) {
    super(`the result of command ${id} is not known yet`);
    this.name = 'ResultNotKnownYet';
  }
}

/**
 * A command's result goes to its eMSP as one POST of the bare CommandResult to the `response_url` it
 * gave (digest §3.6.2), once: the acknowledgement is kept as a receipt (partner_objects), and a
 * command with one is never sent again. The delivery is queued at acceptance, due at the deadline;
 * loading it at or after the deadline without a result records TIMEOUT (commands.repository.ts).
 */
export function commandsDeliveryHandler(load: (ids: string[]) => Promise<CommandForDelivery[]>, metrics: CommandRecorder = noCommandMetrics): DeliveryHandler {
  return {
    module: MODULE,
    async load(keys) {
      const commands = await load(keys);
      for (const { record, timedOut } of commands) if (timedOut) metrics.resulted(record.command, 'TIMEOUT');
      return new Map(commands.map((command) => [command.record.id, command]));
    },
    plan(partner, current, acknowledged) {
      const command = current as CommandForDelivery | undefined;
      if (!command) return { requests: [], state: acknowledged };
      if (command.receipt !== undefined) return { requests: [], state: command.receipt };
      const { record } = command;
      if (record.partnerId !== partner.id || record.status !== 'ACCEPTED') return { requests: [], state: undefined };
      if (!record.result) throw new ResultNotKnownYet(record.id);
      const body: CommandResult = record.result;
      return {
        requests: [{ method: 'POST', url: record.request.response_url as string, body, object: `command ${record.id}` }],
        state: undefined,
        receipt: (): CommandReceipt => ({ result: body.result }),
      };
    },
  };
}
