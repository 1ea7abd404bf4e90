import type { PartnerRecord, PartyRef } from '../modules/credentials/partner.mapper';
import type { Logger } from '../platform/logger';
import { receiverUrl } from './delivery-handler';
import type { OutboxRepository } from './outbox.repository';

/** Per module delivered to its owner alone (sessions, CDRs): the keys of the objects these parties own. */
export type OwnedSources = Record<string, (parties: PartyRef[]) => Promise<string[]>>;

/**
 * After a partner registers or updates its credentials: queues for it every object its parties own, so
 * a session reported before its owner registered reaches it then. What it already acknowledged goes
 * out as nothing (its plan finds no difference). A failure is logged, never fails the handshake: the
 * next change of each object queues it again.
 */
export function createOwnedObjectsQueue(outbox: Pick<OutboxRepository, 'enqueueFor'>, sources: OwnedSources, logger: Logger, wake: () => void) {
  return async function queueOwned(partner: PartnerRecord): Promise<void> {
    if (partner.status !== 'REGISTERED') return;
    try {
      let queued = 0;
      for (const [module, source] of Object.entries(sources)) {
        if (receiverUrl(partner, module)) queued += await outbox.enqueueFor(partner.id, module, await source(partner.roles));
      }
      if (queued === 0) return;
      logger.info('owned objects queued', { partner: partner.id, count: queued });
      wake();
    } catch (error) {
      logger.error('queueing owned objects failed', { partner: partner.id, error: (error as Error).message });
    }
  };
}

export type QueueOwnedObjects = ReturnType<typeof createOwnedObjectsQueue>;
