import type { PartnerRecord } from '../modules/credentials/partner.mapper';

/** One HTTP request to a partner's receiver interface. `object` names what it is about, for logs. */
export interface PushRequest {
  method: 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  url: string;
  body?: unknown;
  object: string;
}

/** What a partner answered to one push request that a module may keep (a CDR's `Location`). */
export interface PushAnswer {
  location: string | undefined;
}

/** Objects of another module the partner must hold before a plan's requests may go out. */
export interface Prerequisites {
  module: string;
  objectKeys: string[];
}

export interface DeliveryPlan {
  requests: PushRequest[];
  /** What the partner holds once every request succeeded (undefined: nothing to remember). */
  state: unknown;
  /** When what the partner holds depends on its answers (a CDR's receipt): that state, in place of `state`. */
  receipt?: (answers: PushAnswer[]) => unknown;
  /**
   * What the requests refer to (a connector's tariffs): while the partner, having a RECEIVER for that
   * module, has not acknowledged each of them, the delivery waits (push/worker.ts).
   */
  requires?: Prerequisites;
}

/** When a failing delivery is given up (push/worker.ts); by default the PUSH_* settings. */
export interface RetryPolicy {
  maxAttempts: number;
  maxAgeMs: number;
  /** How loudly giving up is logged: a CDR not delivered is money not billed. */
  giveUpLevel: 'warn' | 'error';
}

/** What a module contributes to push: its objects' current state, and what that becomes at one partner. */
export interface DeliveryHandler {
  module: string;
  /** This module's own retry horizon (CDRs: PUSH_CDR_MAX_AGE_MS, no attempt limit). */
  retry?: RetryPolicy;
  /**
   * The current state of each of `objectKeys` that exists, each read as one consistent snapshot. One
   * call serves a whole claimed batch, so an object delivered to ten partners is read once.
   */
  load(objectKeys: string[]): Promise<Map<string, unknown>>;
  /**
   * The requests that bring `partner` from `acknowledged` (what it last confirmed holding, or
   * undefined: send it whole) to `current` (undefined: the object does not exist, or no longer does).
   */
  plan(partner: PartnerRecord, current: unknown, acknowledged: unknown, objectKey: string): DeliveryPlan;
}

/** The partner's RECEIVER endpoint of `module`, without a trailing slash. */
export function receiverUrl(partner: PartnerRecord, module: string): string | undefined {
  const endpoint = partner.endpoints.find((e) => e.identifier === module && e.role === 'RECEIVER');
  return endpoint?.url.replace(/\/+$/, '');
}
