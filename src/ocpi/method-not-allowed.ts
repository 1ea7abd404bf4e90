import type { RequestHandler } from 'express';
import { OcpiError } from './ocpi-error';

/** Mounted with `router.all` after a path's real methods: any other method is 405 with `Allow`. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req) => {
    throw OcpiError.methodNotAllowed(`${req.method} is not supported here`, allowed);
  };
}
