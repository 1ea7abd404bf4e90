import type { Logger } from '../platform/logger';
import type { ClaimedDelivery, OutboxRepository } from './outbox.repository';

interface Waiting {
  delivery: ClaimedDelivery;
  state: unknown;
  done(error?: unknown): void;
}

/**
 * Group commit for delivered outcomes: whatever finished while one batch was being written goes out
 * as the next batch, so under load one statement records many deliveries, and when idle a single
 * delivery is written at once.
 */
export function createCompletionQueue(outbox: Pick<OutboxRepository, 'completeMany'>, logger: Logger) {
  let waiting: Waiting[] = [];
  let flushing = false;

  async function write(batch: Waiting[]): Promise<Set<bigint>> {
    const items = batch.map(({ delivery, state }) => ({ delivery, state }));
    try {
      return await outbox.completeMany(items);
    } catch (error) {
      // Once more: a deadlock with a concurrent resync, or a dropped connection, is worth one retry.
      logger.warn('recording deliveries failed, retrying', { count: batch.length, error: (error as Error).message });
      return outbox.completeMany(items);
    }
  }

  async function flush(): Promise<void> {
    flushing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const held = await write(batch);
        for (const item of batch) {
          if (!held.has(item.delivery.id)) {
            logger.warn('push claim lost', { partner: item.delivery.partnerId, module: item.delivery.module, object: item.delivery.objectKey });
          }
          item.done();
        }
      } catch (error) {
        batch.forEach((item) => item.done(error));
      }
    }
    flushing = false;
  }

  return {
    /** Resolves once the outcome is stored (or the claim turned out lost); rejects if it could not be stored. */
    add(delivery: ClaimedDelivery, state: unknown): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.push({ delivery, state, done: (error) => (error === undefined ? resolve() : reject(error)) });
        if (!flushing) void flush();
      });
    },
  };
}
