import winston from 'winston';
import { currentContext } from './request-context';

export type Logger = winston.Logger;

const addRequestContext = winston.format((info) => {
  const context = currentContext();
  if (context) {
    info.request_id ??= context.requestId;
    info.correlation_id ??= context.correlationId;
    if (context.partnerId) info.partner ??= context.partnerId;
  }
  return info;
});

/** JSON lines on stdout; every line carries the request id, correlation id and partner of its request. */
export function createLogger(level: string, silent = false): Logger {
  // winston formats every message and lets its transports drop those below their level: drop them first.
  // (Runs only once `logger` exists: formats run when a message is logged.)
  const enabledLevel = winston.format((info) => (logger.isLevelEnabled(info.level) ? info : false));
  const logger: Logger = winston.createLogger({
    level,
    silent,
    format: winston.format.combine(enabledLevel(), addRequestContext(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
  return logger;
}
