import { PartnerCallError } from '../ocpi/outbound';

/**
 * Worth retrying: the partner was unreachable or slow, answered 5xx, 408 or 429, answered something
 * that is not OCPI, or answered an OCPI server/hub error (3xxx, 4xxx). Other 4xx and 2xxx are permanent.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof PartnerCallError)) return true;
  switch (error.kind) {
    case 'unreachable':
    case 'not-ocpi':
      return true;
    case 'http-error': {
      const status = error.httpStatus ?? 0;
      return status >= 500 || status === 408 || status === 429;
    }
    case 'ocpi-error':
      return (error.ocpiStatus ?? 0) >= 3000;
    default:
      return false;
  }
}

/** Exponential backoff with equal jitter: half the step fixed, half random, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * The partner could not be reached or did not answer at all: refused, reset, DNS failure, timeout.
 * Any HTTP answer, however wrong, means it is reachable.
 */
export function isTransportFailure(error: unknown): boolean {
  return error instanceof PartnerCallError && error.kind === 'unreachable';
}

/** What the "push attempt" log line of a failed request says; logged once it is known how the failure counts. */
export interface AttemptLine {
  partner: string;
  module: string;
  object: string;
  method: string;
  outcome: 'failed';
  duration_ms: number;
  error: string;
}

/** A request to the partner that failed: the partner's error, and the log line it is reported with. */
export class AttemptFailed extends Error {
  constructor(
    readonly reason: unknown,
    readonly line: AttemptLine,
  ) {
    super(line.error);
    this.name = 'AttemptFailed';
  }
}
