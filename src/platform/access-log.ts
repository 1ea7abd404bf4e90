import type { RequestHandler } from 'express';
import type { Logger } from './logger';
import { currentContext } from './request-context';

/**
 * One line per request: method, path (never the query string or body), status and duration. Nothing is
 * timed or built when the logger's level leaves `info` out (winston formats every message before its
 * transport drops it).
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    const context = currentContext();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info('request', {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        duration_ms: Math.round(durationMs * 100) / 100,
        request_id: context?.requestId,
        correlation_id: context?.correlationId,
        partner: context?.partnerId,
      });
    });
    next();
  };
}
