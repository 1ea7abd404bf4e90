import type { Response } from 'express';
import type { Clock } from '../platform/clock';
import { envelope } from './envelope';
import { OcpiStatus } from './status-codes';

/** Sends `data` in the OCPI envelope with status 1000. */
export function respond(res: Response, clock: Clock, data?: unknown, httpStatus = 200): void {
  res.status(httpStatus).json(envelope(clock.now(), data, OcpiStatus.SUCCESS));
}

/**
 * Sends JSON text that is already serialized as the envelope's `data`, without parsing it again. Written
 * straight to Node's response (what `res.type().send()` ends up sending, without its content-type lookup and
 * its copy of the body into a Buffer, so head and body leave in one write); Node omits the body for HEAD.
 * Conditional GETs are answered before this (conditional-get.ts).
 */
export function respondJsonText(res: Response, clock: Clock, dataJson: string): void {
  const body = `{"data":${dataJson},"status_code":${OcpiStatus.SUCCESS},"timestamp":"${clock.now().toISOString()}"}`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
