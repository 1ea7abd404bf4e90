import type { OcpiStatusCode } from './status-codes';
import { OcpiStatus } from './status-codes';

export interface OcpiEnvelope<T = unknown> {
  data?: T;
  status_code: number;
  status_message?: string;
  timestamp: string;
}

/** OCPI DateTime as we emit it: UTC, milliseconds, `Z` (digest §1.13). */
export function formatDateTime(date: Date): string {
  return date.toISOString();
}

export function envelope<T>(
  now: Date,
  data: T | undefined,
  statusCode: OcpiStatusCode | number = OcpiStatus.SUCCESS,
  statusMessage?: string,
): OcpiEnvelope<T> {
  const body: OcpiEnvelope<T> = { status_code: statusCode, timestamp: formatDateTime(now) };
  if (data !== undefined) body.data = data;
  if (statusMessage !== undefined) body.status_message = statusMessage;
  return body;
}
