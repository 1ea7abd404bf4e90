import type { Response } from 'express';
import type { Clock } from '../platform/clock';
import { envelope } from './envelope';
import { OcpiStatus } from './status-codes';

/** Sends `data` in the OCPI envelope with status 1000. */
export function respond(res: Response, clock: Clock, data?: unknown, httpStatus = 200): void {
  res.status(httpStatus).json(envelope(clock.now(), data, OcpiStatus.SUCCESS));
}

/** Sends JSON text that is already serialized as the envelope's `data`, without parsing it again. */
export function respondJsonText(res: Response, clock: Clock, dataJson: string): void {
  const timestamp = JSON.stringify(clock.now().toISOString());
  res.status(200).type('application/json').send(`{"data":${dataJson},"status_code":${OcpiStatus.SUCCESS},"timestamp":${timestamp}}`);
}
