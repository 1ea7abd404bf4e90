import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config';
import type { Logger } from '../platform/logger';
import type { PartnerRepository } from '../modules/credentials/partner.repository';
import type { DeliveryHandler, PushAnswer, RetryPolicy } from './delivery-handler';
import { missingPrerequisites, planBatch, recipient } from './batch-plans';
import { AttemptFailed, backoffMs, isTransient, isTransportFailure } from './delivery-errors';
import { createCompletionQueue } from './completions';
import type { ClaimedDelivery, OutboxRepository } from './outbox.repository';
import { createPartnerReachability } from './reachability';
import { createPushRequestSender } from './push-request';
import type { ReachabilityRepository } from './reachability.repository';
import { noPushMetrics, type PushRecorder } from './push-metrics';

/** The PUSH_* configuration, plus the partner timeout the leases are derived from. */
export type PushSettings = Omit<Config['push'], 'enabled'> & { partnerTimeoutMs: number };

export interface PushWorkerDeps {
  outbox: OutboxRepository;
  reachability: ReachabilityRepository;
  partners: PartnerRepository;
  handlers: DeliveryHandler[];
  logger: Logger;
  us: { countryCode: string; partyId: string };
  settings: PushSettings;
  metrics?: PushRecorder;
}

/** Delivers the outbox: claims due deliveries, sends each object's current state, records the outcome. */
export function createPushWorker({ outbox, reachability: reachabilityRepository, partners, handlers, logger, us, settings, metrics = noPushMetrics }: PushWorkerDeps) {
  const byModule = new Map(handlers.map((h) => [h.module, h]));
  const defaultRetry: RetryPolicy = { maxAttempts: settings.maxAttempts, maxAgeMs: settings.maxAgeMs, giveUpLevel: 'warn' };
  const retryOf = (delivery: ClaimedDelivery): RetryPolicy => byModule.get(delivery.module)?.retry ?? defaultRetry;
  // A lease outlives any single request, so a live worker never loses a delivery it is sending. It is
  // renewed before a request that starts more than 1 s after the claim (or the last renewal), so every
  // request ends with at least 4 s of lease left to record the outcome in. Measured on a monotonic clock.
  const leaseMs = settings.partnerTimeoutMs + 5000;
  const renewAfterMs = 1000;
  const inFlightByPartner = new Map<string, number>();
  let inFlight = 0;
  const tasks = new Set<Promise<void>>();
  const completions = createCompletionQueue(outbox, logger);
  const reachability = createPartnerReachability(reachabilityRepository, logger, settings);
  const send = createPushRequestSender(logger, us, settings.partnerTimeoutMs, metrics.request);
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wake = new AbortController();

  async function failed(delivery: ClaimedDelivery, failure: unknown): Promise<void> {
    const error = failure instanceof AttemptFailed ? failure.reason : failure;
    if (failure instanceof AttemptFailed) {
      if (isTransportFailure(error)) {
        if (await reachability.transportFailed(delivery, failure.line)) return metrics.outcome(delivery, 'unreachable');
      } else {
        logger.warn('push attempt', failure.line);
        await reachability.errorAnswered(delivery);
      }
    }
    const message = (error as Error).message ?? String(error);
    const attempts = delivery.attempts + 1;
    const retry = retryOf(delivery);
    // A probe's answer is the first one after the outage: its age only starts counting now.
    const tooOld = !delivery.probe && Date.now() - delivery.agedFrom.getTime() >= retry.maxAgeMs;
    if (!isTransient(error) || attempts >= retry.maxAttempts || tooOld) {
      logger[retry.giveUpLevel]('push gave up', { partner: delivery.partnerId, module: delivery.module, object: delivery.objectKey, attempts, error: message });
      await outbox.fail(delivery, message);
      metrics.outcome(delivery, 'failed');
    } else {
      await outbox.retryLater(delivery, message, backoffMs(attempts, settings.backoffBaseMs, settings.backoffMaxMs));
      metrics.outcome(delivery, 'retry');
    }
  }

  /** Everything a claimed batch needs, read in one query per kind rather than per delivery. */
  async function prepare(batch: ClaimedDelivery[]) {
    const states = [...byModule].map(async ([module, handler]) => {
      const keys = [...new Set(batch.filter((d) => d.module === module).map((d) => d.objectKey))];
      return [module, keys.length > 0 ? await handler.load(keys) : new Map<string, unknown>()] as const;
    });
    // Concurrent: under load each read waits its turn for a pooled connection, and the batch holds its slots meanwhile.
    const [partnerRecords, current, acknowledged] = await Promise.all([
      partners.findMany([...new Set(batch.map((d) => d.partnerId))]),
      Promise.all(states).then((entries) => new Map(entries)),
      outbox.acknowledgedMany(batch.filter((d) => !d.fullPut)),
    ]);
    return { partnerRecords, ...(await planBatch(batch, byModule, partnerRecords, current, acknowledged, outbox)) };
  }

  type Prepared = Awaited<ReturnType<typeof prepare>>;

  /** The delivery waits for its prerequisites' own deliveries, counted as an attempt so it cannot wait forever. */
  async function waitFor(delivery: ClaimedDelivery, module: string, missing: string[]): Promise<void> {
    const reason = `waiting until the partner holds ${module} ${missing.join(', ')}`;
    const attempts = delivery.attempts + 1;
    const log = { partner: delivery.partnerId, module: delivery.module, object: delivery.objectKey, waiting_for: missing.length, attempts };
    const retry = retryOf(delivery);
    if (attempts >= retry.maxAttempts || Date.now() - delivery.agedFrom.getTime() >= retry.maxAgeMs) {
      logger[retry.giveUpLevel]('push gave up', { ...log, error: reason });
      await outbox.fail(delivery, reason);
      return metrics.outcome(delivery, 'failed');
    }
    logger.info('push waits', log);
    await outbox.waitFor(delivery, { module, objectKeys: missing }, reason, backoffMs(attempts, settings.backoffBaseMs, settings.backoffMaxMs));
    metrics.outcome(delivery, 'waiting');
  }

  /** `sent` is called once the partner has answered every request, before the outcome is stored. */
  async function deliver(delivery: ClaimedDelivery, prepared: Prepared, sent: () => void): Promise<void> {
    const partner = recipient(delivery, prepared.partnerRecords);
    if (!partner) return outbox.drop(delivery).then(() => metrics.outcome(delivery, 'dropped'));
    const plan = prepared.plans.get(delivery.id);
    if (!plan) return outbox.fail(delivery, `no delivery handler for module ${delivery.module}`).then(() => metrics.outcome(delivery, 'failed'));
    try {
      if ('unplanned' in plan) throw plan.unplanned;
      const missing = missingPrerequisites(partner, plan, prepared.held);
      if (missing.length > 0) return await waitFor(delivery, plan.requires!.module, missing);
      let leaseFrom = delivery.claimedAt;
      const answers: PushAnswer[] = [];
      for (const request of plan.requests) {
        if (performance.now() - leaseFrom > renewAfterMs) {
          const renewing = performance.now();
          if (!(await outbox.heartbeat(delivery, leaseMs))) return;
          leaseFrom = renewing;
        }
        answers.push(await send(delivery.module, partner, request));
      }
      sent();
      const state = plan.receipt ? plan.receipt(answers) : plan.state;
      await reachability.delivered(delivery, plan.requests.length);
      await completions.add(delivery, state);
      metrics.outcome(delivery, plan.requests.length > 0 ? 'delivered' : 'skipped');
    } catch (error) {
      await failed(delivery, error);
    }
  }

  async function deliverBatch(batch: ClaimedDelivery[]): Promise<void> {
    let prepared: Prepared;
    try {
      prepared = await prepare(batch);
    } catch (error) {
      await Promise.all(batch.map((delivery) => failed(delivery, error).finally(() => finished(delivery))));
      return;
    }
    await Promise.all(
      batch.map((delivery) => {
        let freed = false;
        const free = () => {
          if (!freed) finished(delivery);
          freed = true;
        };
        return deliver(delivery, prepared, free).finally(free);
      }),
    );
  }

  /**
   * Frees the delivery's slot: it counts as in flight from its claim until the partner has answered.
   * Storing the outcome holds no slot: its row stays claimed until then (with at least 4 s of lease
   * left, see `renewAfterMs`), so no one else takes it.
   */
  function finished(delivery: ClaimedDelivery): void {
    const left = (inFlightByPartner.get(delivery.partnerId) ?? 1) - 1;
    if (left > 0) inFlightByPartner.set(delivery.partnerId, left);
    else inFlightByPartner.delete(delivery.partnerId);
    inFlight -= 1;
    notify();
  }

  function start(batch: ClaimedDelivery[]): void {
    for (const delivery of batch) inFlightByPartner.set(delivery.partnerId, (inFlightByPartner.get(delivery.partnerId) ?? 0) + 1);
    inFlight += batch.length;
    const task = deliverBatch(batch)
      .catch((error: Error) => {
        logger.error('push delivery crashed', { error: error.message, stack: error.stack });
      })
      .finally(() => tasks.delete(task));
    tasks.add(task);
  }

  // Under a stream of commits (each one wakes the worker) claims are spaced at least this far apart,
  // so the queue's bookkeeping cannot crowd out the work itself. It also caps one partner's pushes at
  // its window per spacing: 16 per 20 ms (at 50 ms, an eMSP got a 20,000-location import 47 s after
  // its last creation; at 20 ms, 17 s; docs/benchmarks.md).
  const minClaimSpacingMs = Math.min(20, settings.pollIntervalMs);
  let lastClaimAt = 0;

  async function loop(): Promise<void> {
    while (running) {
      const spacing = lastClaimAt + minClaimSpacingMs - Date.now();
      if (spacing > 0) await sleep(spacing);
      lastClaimAt = Date.now();
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await outbox.claim(settings.concurrency - inFlight, settings.perPartnerConcurrency, leaseMs, inFlightByPartner);
      } catch (error) {
        logger.error('push claim failed', { error: (error as Error).message });
      }
      if (claimed.length > 0) start(claimed);
      if (claimed.length === 0 || inFlight >= settings.concurrency) {
        await sleep(settings.pollIntervalMs, undefined, { signal: wake.signal }).catch(() => undefined);
        wake = new AbortController();
      }
    }
  }

  /** Something was enqueued or a slot freed up: look for work now rather than at the next poll. */
  function notify(): void {
    // Every commit and every finished delivery lands here; abort() builds a DOMException even when already aborted.
    if (!wake.signal.aborted) wake.abort();
  }

  return {
    notify,
    start(): void {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    /**
     * Stops claiming and waits up to `graceMs` for deliveries in flight; any still running are
     * abandoned safely: their leases run out and a live process delivers the then-current state.
     */
    async stop(graceMs = 5000): Promise<void> {
      running = false;
      notify();
      await loopDone;
      await Promise.race([Promise.allSettled([...tasks]), sleep(graceMs)]);
    },
  };
}

export type PushWorker = ReturnType<typeof createPushWorker>;
