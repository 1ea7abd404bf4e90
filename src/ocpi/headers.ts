import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '../platform/request-context';

const ID_PATTERN = /^[\x21-\x7E]{1,255}$/;

function incomingId(value: string | undefined): string {
  return value !== undefined && ID_PATTERN.test(value) ? value : randomUUID();
}

/**
 * X-Request-ID and X-Correlation-ID (digest §1.8): taken from the request or generated, echoed on the
 * response, and put into the request context so every log line of this request carries them.
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const requestId = incomingId(req.get('X-Request-ID'));
    const correlationId = incomingId(req.get('X-Correlation-ID'));
    res.set('X-Request-ID', requestId);
    res.set('X-Correlation-ID', correlationId);
    runWithContext({ requestId, correlationId }, () => next());
  };
}
