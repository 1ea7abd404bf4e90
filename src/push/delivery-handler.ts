import type { PartnerRecord } from '../modules/credentials/partner.mapper';

/** One HTTP request to a partner's receiver interface. `object` names what it is about, for logs. */
export interface PushRequest {
  method: 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  url: string;
  body?: unknown;
  object: string;
}

export interface DeliveryPlan {
  requests: PushRequest[];
  /** What the partner holds once every request succeeded (undefined: nothing to remember). */
  state: unknown;
}

/** What a module contributes to push: turn an object's current state into requests for one partner. */
export interface DeliveryHandler {
  module: string;
  /** `acknowledged` is what the partner last confirmed holding, or undefined (then send it whole). */
  plan(partner: PartnerRecord, objectKey: string, acknowledged: unknown): Promise<DeliveryPlan>;
}

/** The partner's RECEIVER endpoint of `module`, without a trailing slash. */
export function receiverUrl(partner: PartnerRecord, module: string): string | undefined {
  const endpoint = partner.endpoints.find((e) => e.identifier === module && e.role === 'RECEIVER');
  return endpoint?.url.replace(/\/+$/, '');
}
