import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { envelope } from './envelope';
import { OcpiError } from './ocpi-error';
import { OcpiStatus } from './status-codes';

interface HttpParserError {
  type?: string;
  status?: number;
}

/** Turns body-parser failures into OCPI errors: malformed JSON is 400 / 2001, an oversized body 413. */
function fromParserError(error: HttpParserError): OcpiError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return OcpiError.badRequest('Request body is not valid JSON');
    case 'entity.too.large':
      return new OcpiError(413, OcpiStatus.CLIENT_ERROR, 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new OcpiError(415, OcpiStatus.CLIENT_ERROR, 'Unsupported body encoding');
    case 'request.aborted':
      return new OcpiError(400, OcpiStatus.CLIENT_ERROR, 'Request aborted');
    default:
      return undefined;
  }
}

export function notFoundHandler(): RequestHandler {
  return (req) => {
    throw OcpiError.notFound(`No endpoint at ${req.method} ${req.path}`);
  };
}

/** Last middleware: every error leaves as an OCPI envelope; unknown ones as 500 / 3000 with the stack logged. */
export function errorMiddleware(clock: Clock, logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const known = error instanceof OcpiError ? error : fromParserError(error as HttpParserError);
    if (known) {
      res.set(known.headers);
      res.status(known.httpStatus).json(envelope(clock.now(), undefined, known.statusCode, known.message));
      return;
    }
    logger.error('unhandled error', { error: (error as Error)?.message, stack: (error as Error)?.stack });
    res.status(500).json(envelope(clock.now(), undefined, OcpiStatus.SERVER_ERROR, 'Internal server error'));
  };
}
