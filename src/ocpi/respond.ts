import type { Response } from 'express';
import type { Clock } from '../platform/clock';
import { envelope } from './envelope';
import { OcpiStatus } from './status-codes';

/** Sends `data` in the OCPI envelope with status 1000. */
export function respond(res: Response, clock: Clock, data?: unknown, httpStatus = 200): void {
  res.status(httpStatus).json(envelope(clock.now(), data, OcpiStatus.SUCCESS));
}

/** What follows `data` in a successful envelope written as text. */
const envelopeAfterData = (clock: Clock) => `,"status_code":${OcpiStatus.SUCCESS},"timestamp":"${clock.now().toISOString()}"}`;

/**
 * Sends JSON text that is already serialized as the envelope's `data`, without parsing it again. Written
 * straight to Node's response (what `res.type().send()` ends up sending, without its content-type lookup and
 * its copy of the body into a Buffer, so head and body leave in one write); Node omits the body for HEAD.
 * Conditional GETs are answered before this (conditional-get.ts).
 */
export function respondJsonText(res: Response, clock: Clock, dataJson: string): void {
  const body = `{"data":${dataJson}${envelopeAfterData(clock)}`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * `respondJsonText` for a list whose items are already serialized: the items go out as they are, one
 * write each under one cork (a single writev), never joined into one string. A page of 100 locations
 * is ~160 kB; joined, each page made two strings too large for the young generation, and a full sync
 * of 100,000 locations raised the node's peak RSS by 50 MB before a full collection reclaimed them.
 */
export function respondJsonItems(res: Response, clock: Clock, items: readonly string[]): void {
  const head = '{"data":[';
  const tail = `]${envelopeAfterData(clock)}`;
  let length = head.length + tail.length + Math.max(0, items.length - 1);
  for (const item of items) length += Buffer.byteLength(item);
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', length);
  res.cork();
  res.write(head);
  items.forEach((item, i) => res.write(i === 0 ? item : `,${item}`));
  res.end(tail);
  res.uncork();
}
