import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runWithContext } from '../platform/request-context';

const ID_PATTERN = /^[\x21-\x7E]{1,255}$/;

function incomingId(value: string | undefined): string {
  return value !== undefined && ID_PATTERN.test(value) ? value : randomUUID();
}

/** A header as `req.get` reads it (Node joins repeated custom headers with ", "). */
const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/**
 * X-Request-ID and X-Correlation-ID (digest §1.8): taken from the request or generated, echoed on the
 * response, and put into the request context so every log line of this request carries them.
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const requestId = incomingId(single(req.headers['x-request-id']));
    const correlationId = incomingId(single(req.headers['x-correlation-id']));
    res.setHeader('X-Request-ID', requestId);
    res.setHeader('X-Correlation-ID', correlationId);
    runWithContext({ requestId, correlationId }, () => next());
  };
}
