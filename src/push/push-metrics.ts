import type { Metrics } from '../platform/metrics';
import type { OutboxRepository } from './outbox.repository';
import type { ReachabilityRepository } from './reachability.repository';

/**
 * How the worker settled one claimed delivery: `delivered` (the partner accepted every request),
 * `skipped` (nothing to send: the partner holds the current state), `retry` (failed, tried again after
 * a backoff), `waiting` (its prerequisites are not at the partner yet), `unreachable` (no answer from a
 * partner that is, or just became, unreachable: it waits for the partner without counting an attempt),
 * `failed` (given up: permanent error, or out of attempts or age), `dropped` (the partner is gone).
 */
export type DeliveryOutcome = 'delivered' | 'skipped' | 'retry' | 'waiting' | 'unreachable' | 'failed' | 'dropped';

/** What the push worker records. */
export interface PushRecorder {
  outcome(delivery: { partnerId: string; module: string }, outcome: DeliveryOutcome): void;
  /** One request to a partner's receiver took `seconds`, whether it was answered or not. */
  request(partnerId: string, module: string, seconds: number): void;
}

export const noPushMetrics: PushRecorder = { outcome: () => undefined, request: () => undefined };

/**
 * The push metrics, labelled by partner id (bounded by the registered partners) and module. Outcomes
 * and request latency count what this process did; the queue and the reachability are read from the
 * database at scrape time, so every process sharing it reports the same.
 */
export function pushMetrics(
  metrics: Metrics,
  outbox: Pick<OutboxRepository, 'backlog'>,
  reachability: Pick<ReachabilityRepository, 'all'>,
  modules: readonly string[],
): PushRecorder {
  const deliveries = metrics.counter('ocpi_push_deliveries_total', 'Claimed deliveries by how the worker settled them', ['partner', 'module', 'outcome']);
  const latency = metrics.histogram('ocpi_push_request_duration_seconds', 'Duration of each push request to a partner, answered or not, in seconds', ['partner', 'module']);

  const backlog = metrics.shared(() => outbox.backlog(modules));
  const perModule = (value: (b: Awaited<ReturnType<typeof backlog>>[number]) => number) => async () =>
    (await backlog()).map((b) => ({ labels: { partner: b.partner, module: b.module }, value: value(b) }));
  metrics.scrapedGauge('ocpi_push_queue_depth', 'Pending deliveries', ['partner', 'module'], perModule((b) => b.pending));
  metrics.scrapedGauge('ocpi_push_oldest_pending_age_seconds', 'Age of the oldest pending change, in seconds (0 when none)', ['partner', 'module'], perModule((b) => b.oldestPendingS));
  metrics.scrapedGauge('ocpi_push_failed_deliveries', 'Deliveries given up, kept until an operator retries them', ['partner', 'module'], perModule((b) => b.failed));

  const partners = metrics.shared(() => reachability.all());
  const perPartner = (value: (p: Awaited<ReturnType<typeof partners>>[number]) => number) => async () =>
    (await partners()).map((p) => ({ labels: { partner: p.partner }, value: value(p) }));
  metrics.scrapedGauge('ocpi_partner_reachable', '1 while the partner is reachable, 0 while it is unreachable and probed', ['partner'], perPartner((p) => (p.reachable ? 1 : 0)));
  metrics.scrapedGauge('ocpi_partner_consecutive_failures', 'Push requests in a row that got no answer from the partner', ['partner'], perPartner((p) => p.consecutiveFailures));

  return {
    outcome: (delivery, outcome) => deliveries.inc({ partner: delivery.partnerId, module: delivery.module, outcome }),
    request: (partner, module, seconds) => latency.observe({ partner, module }, seconds),
  };
}
