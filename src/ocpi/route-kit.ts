import type { RequestHandler, Response } from 'express';
import type { Clock } from '../platform/clock';
import { allow, type AccessPolicy } from './auth';
import { respond } from './respond';

/** What every router needs from the plumbing, bound once to the node's clock and open-data switch. */
export interface RouteKit {
  guard(policy: AccessPolicy): RequestHandler;
  respond(res: Response, data?: unknown, httpStatus?: number): void;
  clock: Clock;
  openData: boolean;
}

export function createRouteKit(clock: Clock, openData: boolean): RouteKit {
  return {
    guard: (policy) => allow(policy, openData),
    respond: (res, data, httpStatus) => respond(res, clock, data, httpStatus),
    clock,
    openData,
  };
}
