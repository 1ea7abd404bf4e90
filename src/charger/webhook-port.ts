import { HttpTransportError, sendHttp } from '../platform/http-client';
import type { Logger } from '../platform/logger';
import type { ChargerCommand, ChargerPort } from './charger-port';

/**
 * The `webhook` charger port: each command is POSTed as JSON `{ id, command, ...body }` to the CSMS's
 * webhook URL; any 2xx within `timeoutMs` means the CSMS took it, anything else (another status, no
 * answer in time, no connection) that it did not.
 */
export function webhookChargerPort(url: string, timeoutMs: number, logger: Logger): ChargerPort {
  return {
    name: 'webhook',
    async forward(command: ChargerCommand): Promise<boolean> {
      const started = Date.now();
      const log = { command: command.command, command_id: command.id };
      try {
        const answer = await sendHttp({ method: 'POST', url, headers: {}, body: { id: command.id, command: command.command, ...command.body }, timeoutMs });
        const accepted = answer.status >= 200 && answer.status < 300;
        logger[accepted ? 'info' : 'warn']('csms webhook', { ...log, http_status: answer.status, accepted, duration_ms: Date.now() - started });
        return accepted;
      } catch (error) {
        const reason = error instanceof HttpTransportError ? error.message : String(error);
        logger.warn('csms webhook', { ...log, accepted: false, error: reason, duration_ms: Date.now() - started });
        return false;
      }
    },
  };
}
