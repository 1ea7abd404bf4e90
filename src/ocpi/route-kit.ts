import type { RequestHandler, Response } from 'express';
import type { Clock } from '../platform/clock';
import { allow, type AccessPolicy } from './auth';
import { respond, respondJsonItems, respondJsonText } from './respond';

/** What every router needs from the plumbing, bound once to the node's clock and open-data switch. */
export interface RouteKit {
  guard(policy: AccessPolicy): RequestHandler;
  respond(res: Response, data?: unknown, httpStatus?: number): void;
  /** `respond` for data already serialized (e.g. built as JSON by the database). */
  respondJsonText(res: Response, dataJson: string): void;
  /** `respondJsonText` for a list of items already serialized. */
  respondJsonItems(res: Response, items: readonly string[]): void;
  clock: Clock;
  openData: boolean;
}

export function createRouteKit(clock: Clock, openData: boolean): RouteKit {
  return {
    guard: (policy) => allow(policy, openData),
    respond: (res, data, httpStatus) => respond(res, clock, data, httpStatus),
    respondJsonText: (res, dataJson) => respondJsonText(res, clock, dataJson),
    respondJsonItems: (res, items) => respondJsonItems(res, clock, items),
    clock,
    openData,
  };
}
