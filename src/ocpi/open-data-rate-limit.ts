import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { callerOf } from './auth';
import { OcpiError } from './ocpi-error';
import { OcpiStatus } from './status-codes';

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

/**
 * Anonymous (open-data) requests, counted per client address; token holders are not limited here and
 * pass without entering the limiter at all (it costs several promises and `req.ip` per request, even
 * when told to skip).
 */
export function openDataRateLimit(options: RateLimitOptions): RequestHandler {
  const limiter = rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new OcpiError(429, OcpiStatus.CLIENT_ERROR, 'Too many anonymous requests: slow down or use a partner token'));
    },
  });
  return (req, res, next) => (callerOf(res).kind === 'anonymous' ? limiter(req, res, next) : next());
}
