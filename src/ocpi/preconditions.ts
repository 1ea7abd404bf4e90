import type { Request } from 'express';
import { OcpiError } from './ocpi-error';
import { OcpiStatus } from './status-codes';

/** Conditional-request headers of a write: `If-Match` (a version, or `*`) and `If-None-Match: *`. */
export interface Preconditions {
  ifMatch?: number | '*';
  createOnly: boolean;
}

const TAG = /^(W\/)?"(\d{1,9})"$/;

export function readPreconditions(req: Request): Preconditions {
  const ifMatch = req.get('If-Match')?.trim();
  const ifNoneMatch = req.get('If-None-Match')?.trim();
  let parsed: Preconditions['ifMatch'];
  if (ifMatch === '*') parsed = '*';
  else if (ifMatch !== undefined) {
    const match = TAG.exec(ifMatch);
    parsed = match ? Number(match[2]) : -1;
  }
  return { ifMatch: parsed, createOnly: ifNoneMatch === '*' };
}

export function preconditionRequired(): OcpiError {
  return new OcpiError(428, OcpiStatus.CLIENT_ERROR, 'If-Match is required: GET the object and send its ETag');
}

/** 412 unless the stored version (undefined: no object) satisfies the request's preconditions. */
export function checkPreconditions(preconditions: Preconditions, storedVersion: number | undefined): void {
  if (preconditions.createOnly && storedVersion !== undefined) {
    throw new OcpiError(412, OcpiStatus.CLIENT_ERROR, 'If-None-Match: * but the object exists');
  }
  const { ifMatch } = preconditions;
  if (ifMatch === undefined) return;
  if (storedVersion === undefined || (ifMatch !== '*' && ifMatch !== storedVersion)) {
    throw new OcpiError(412, OcpiStatus.CLIENT_ERROR, `If-Match does not match the current version${storedVersion === undefined ? '' : ` "${storedVersion}"`}`);
  }
}

/** A body whose `last_updated` is older than what we store describes an outdated state. */
export function checkNotStale(bodyLastUpdated: string | undefined, stored: Date | undefined, parse: (value: string) => Date): void {
  if (bodyLastUpdated === undefined || stored === undefined) return;
  if (parse(bodyLastUpdated).getTime() < stored.getTime()) {
    throw new OcpiError(409, OcpiStatus.CLIENT_ERROR, `Stale last_updated: the stored object was updated at ${stored.toISOString()}`);
  }
}
