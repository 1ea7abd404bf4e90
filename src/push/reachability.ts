import type { Logger } from '../platform/logger';
import { backoffMs, type AttemptLine } from './delivery-errors';
import type { ClaimedDelivery } from './outbox.repository';
import type { ReachabilityRepository } from './reachability.repository';

export interface ReachabilitySettings {
  /** Consecutive transport failures after which a partner is unreachable (PUSH_UNREACHABLE_AFTER). */
  unreachableAfter: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * A partner that is down is probed, not hammered. Transport failures (no HTTP answer at all: refused,
 * reset, DNS, timeout) are counted per partner; any HTTP answer, even an error, resets the count. At
 * `unreachableAfter` in a row the partner is unreachable: its deliveries pause (not attempted, so they
 * count no attempts and do not age), and the claim hands out one probe at a time, a real delivery
 * retried with backoff (by failed probe, capped, with jitter) for as long as it takes. The first answer
 * to a probe makes the partner reachable again and its deliveries due at once, in their usual order.
 * While it is unreachable only the probe decides: a late answer to an older request changes nothing.
 *
 * Logged: one line per state change (warn when it goes down, info when it is back) and one per probe
 * (info); attempts of deliveries that merely wait for their partner are logged at debug.
 */
export function createPartnerReachability(repository: ReachabilityRepository, logger: Logger, settings: ReachabilitySettings) {
  const delayAfter = (failedProbes: number) => backoffMs(failedProbes + 1, settings.backoffBaseMs, settings.backoffMaxMs);

  async function probeFailed(delivery: ClaimedDelivery, line: AttemptLine): Promise<void> {
    const outcome = await repository.probeFailed(delivery, line.error, delayAfter);
    logger.debug('push attempt', { ...line, probe: true });
    if (outcome.kind !== 'probe-failed') return;
    logger.info('partner probe', {
      partner: delivery.partnerId,
      object: line.object,
      outcome: 'unreachable',
      error: line.error,
      failed_probes: outcome.failedProbes,
      next_probe_at: outcome.nextProbeAt.toISOString(),
    });
  }

  async function probeAnswered(delivery: ClaimedDelivery): Promise<void> {
    const back = await repository.probeAnswered(delivery);
    logger.info('partner probe', { partner: delivery.partnerId, module: delivery.module, object: delivery.objectKey, outcome: 'answered', next_probe_at: null });
    if (!back) return;
    logger.info('partner reachable', {
      partner: delivery.partnerId,
      unreachable_since: back.since.toISOString(),
      down_ms: back.downMs,
      failed_probes: back.failedProbes,
      resuming: back.resuming,
    });
  }

  return {
    /**
     * A request of `delivery` got no answer; its attempt is logged here, at the level its effect deserves.
     * True when that settles it (the delivery waits for its partner, or its claim was lost); false when
     * the per-delivery rules apply, because the partner still counted as reachable.
     */
    async transportFailed(delivery: ClaimedDelivery, line: AttemptLine): Promise<boolean> {
      if (delivery.probe) {
        await probeFailed(delivery, line);
        return true;
      }
      const outcome = await repository.transportFailure(delivery, line.error, settings.unreachableAfter, delayAfter(0));
      if (outcome.kind === 'paused') {
        logger.debug('push attempt', { ...line, partner_unreachable: true });
        return true;
      }
      logger.warn('push attempt', line);
      if (outcome.kind === 'became-unreachable') {
        logger.warn('partner unreachable', {
          partner: delivery.partnerId,
          since: outcome.since.toISOString(),
          consecutive_failures: outcome.consecutiveFailures,
          next_probe_at: outcome.nextProbeAt.toISOString(),
          error: line.error,
        });
      }
      return outcome.kind === 'lost';
    },

    /** A request of `delivery` got an HTTP answer that is an error: the partner is reachable. */
    async errorAnswered(delivery: ClaimedDelivery): Promise<void> {
      if (delivery.probe) await probeAnswered(delivery);
      else await repository.answered(delivery.partnerId);
    },

    /** Every request of `delivery` succeeded (`requests` of them; successes of the others are counted at completion). */
    async delivered(delivery: ClaimedDelivery, requests: number): Promise<void> {
      if (!delivery.probe) return;
      if (requests > 0) return probeAnswered(delivery);
      await repository.probeAgainNow(delivery.partnerId);
    },
  };
}

export type PartnerReachability = ReturnType<typeof createPartnerReachability>;
