import type { PartnerRecord } from '../modules/credentials/partner.repository';
import { receiverUrl, type DeliveryHandler, type DeliveryPlan } from './delivery-handler';
import { ackKey, type ClaimedDelivery, type OutboxRepository } from './outbox.repository';

/** A delivery's plan, or why it could not be planned (thrown again when it is delivered). */
export type PlanOutcome = DeliveryPlan | { unplanned: unknown };

export interface BatchPlans {
  plans: Map<bigint, PlanOutcome>;
  /** `ackKey`s of the plans' prerequisites that their partners hold. */
  held: Set<string>;
}

/** The partner a delivery goes to, if it is still registered with a token to push with. */
export function recipient(delivery: ClaimedDelivery, partners: Map<string, PartnerRecord>): PartnerRecord | undefined {
  const partner = partners.get(delivery.partnerId);
  return partner && partner.status === 'REGISTERED' && partner.outboundToken ? partner : undefined;
}

/**
 * Each delivery's plan, from the objects' current states and what each partner acknowledged, and
 * which of the plans' prerequisites the partners hold, read in one query for the batch.
 */
export async function planBatch(
  batch: ClaimedDelivery[],
  handlers: Map<string, DeliveryHandler>,
  partners: Map<string, PartnerRecord>,
  current: Map<string, Map<string, unknown>>,
  acknowledged: Map<string, unknown>,
  outbox: Pick<OutboxRepository, 'heldMany'>,
): Promise<BatchPlans> {
  const plans = new Map<bigint, PlanOutcome>();
  const prerequisites: { partnerId: string; module: string; objectKey: string }[] = [];
  for (const delivery of batch) {
    const partner = recipient(delivery, partners);
    const handler = handlers.get(delivery.module);
    if (!partner || !handler) continue;
    try {
      const key = ackKey(delivery.partnerId, delivery.module, delivery.objectKey);
      const plan = handler.plan(partner, current.get(delivery.module)?.get(delivery.objectKey), acknowledged.get(key), delivery.objectKey);
      plans.set(delivery.id, plan);
      const needed = plan.requires;
      if (needed && receiverUrl(partner, needed.module)) {
        for (const objectKey of needed.objectKeys) prerequisites.push({ partnerId: partner.id, module: needed.module, objectKey });
      }
    } catch (error) {
      plans.set(delivery.id, { unplanned: error });
    }
  }
  return { plans, held: await outbox.heldMany(prerequisites) };
}

/** Of what `plan` requires, what the partner has not acknowledged yet (nothing when it has no RECEIVER for it). */
export function missingPrerequisites(partner: PartnerRecord, plan: DeliveryPlan, held: Set<string>): string[] {
  const needed = plan.requires;
  if (!needed || !receiverUrl(partner, needed.module)) return [];
  return needed.objectKeys.filter((key) => !held.has(ackKey(partner.id, needed.module, key)));
}
