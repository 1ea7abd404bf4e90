import type { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../platform/database';
import { holdsClaim, type ClaimedDelivery } from './outbox.repository';

type Tx = Prisma.TransactionClient;

/** A partner's reachability as the admin API shows it. */
export interface ReachabilityView {
  state: 'REACHABLE' | 'UNREACHABLE';
  /** Transport failures since it last answered. */
  consecutive_failures: number;
  since?: string;
  next_probe_at?: string;
  failed_probes?: number;
}

/** How a transport failure of an ordinary delivery counted. */
export type TransportFailureOutcome =
  | { kind: 'lost' }
  /** The partner was already unreachable: the delivery waits for it, no attempt counted. */
  | { kind: 'paused' }
  | { kind: 'counted'; consecutiveFailures: number }
  | { kind: 'became-unreachable'; consecutiveFailures: number; since: Date; nextProbeAt: Date };

export type ProbeFailureOutcome = { kind: 'lost' } | { kind: 'paused' } | { kind: 'probe-failed'; failedProbes: number; nextProbeAt: Date };

/** A partner whose probe was answered: how long it was down and how many deliveries resume (besides the probe). */
export interface BackAgain {
  since: Date;
  downMs: number;
  failedProbes: number;
  resuming: number;
}

interface StatsRow {
  consecutive_failures: number;
  unreachable_since: Date | null;
  failed_probes: number;
}

const truncate = (message: string) => message.slice(0, 500);
const wholeMs = (ms: number) => Math.max(0, Math.round(ms));

/**
 * Partner reachability, kept in `partner_push_stats` so that every process sharing the database sees
 * it: transport failures since the partner last answered, and while it is unreachable, since when and
 * when the next probe goes out. Rows are locked after the delivery's row, the order the outbox uses.
 */
export function createReachabilityRepository(prisma: PrismaClient) {
  async function lockStats(tx: Tx, partnerId: string): Promise<StatsRow> {
    await tx.$executeRaw`INSERT INTO partner_push_stats (partner_id) VALUES (${partnerId}::uuid) ON CONFLICT (partner_id) DO NOTHING`;
    const [row] = await tx.$queryRaw<StatsRow[]>`
      SELECT consecutive_failures, unreachable_since, failed_probes FROM partner_push_stats WHERE partner_id = ${partnerId}::uuid FOR UPDATE`;
    return row!;
  }

  /** The delivery waits for its partner: released as it was, no attempt counted; its next send is a full PUT. */
  async function pause(tx: Tx, delivery: ClaimedDelivery, error: string): Promise<void> {
    await tx.$executeRaw`
      UPDATE deliveries SET claim_token = NULL, locked_until = NULL, last_error = ${truncate(error)}, full_put = true WHERE id = ${delivery.id}`;
    await tx.$executeRaw`
      UPDATE partner_push_stats SET last_error = ${truncate(error)}, last_error_at = now() WHERE partner_id = ${delivery.partnerId}::uuid`;
  }

  return {
    /**
     * An ordinary delivery got no answer. Counted towards `threshold` while the partner is reachable
     * (the caller then applies the per-delivery rules); the count reaching it makes the partner
     * unreachable with a first probe `firstProbeDelayMs` later. Already unreachable: the delivery pauses.
     */
    async transportFailure(delivery: ClaimedDelivery, error: string, threshold: number, firstProbeDelayMs: number): Promise<TransportFailureOutcome> {
      return prisma.$transaction(async (tx): Promise<TransportFailureOutcome> => {
        if (!(await holdsClaim(tx, delivery))) return { kind: 'lost' };
        const state = await lockStats(tx, delivery.partnerId);
        if (state.unreachable_since) {
          await pause(tx, delivery, error);
          return { kind: 'paused' };
        }
        const failures = state.consecutive_failures + 1;
        if (failures < threshold) {
          await tx.$executeRaw`UPDATE partner_push_stats SET consecutive_failures = ${failures} WHERE partner_id = ${delivery.partnerId}::uuid`;
          return { kind: 'counted', consecutiveFailures: failures };
        }
        const [row] = await tx.$queryRaw<{ unreachable_since: Date; next_probe_at: Date }[]>`
          UPDATE partner_push_stats SET consecutive_failures = ${failures}, unreachable_since = now(), failed_probes = 0,
            next_probe_at = now() + (${wholeMs(firstProbeDelayMs)} * interval '1 millisecond')
          WHERE partner_id = ${delivery.partnerId}::uuid RETURNING unreachable_since, next_probe_at`;
        return { kind: 'became-unreachable', consecutiveFailures: failures, since: row!.unreachable_since, nextProbeAt: row!.next_probe_at };
      });
    },

    /** The probe got no answer: the next one after `delayMs(failedProbes)`; the probe delivery waits like the others. */
    async probeFailed(delivery: ClaimedDelivery, error: string, delayMs: (failedProbes: number) => number): Promise<ProbeFailureOutcome> {
      return prisma.$transaction(async (tx): Promise<ProbeFailureOutcome> => {
        if (!(await holdsClaim(tx, delivery))) return { kind: 'lost' };
        const state = await lockStats(tx, delivery.partnerId);
        await pause(tx, delivery, error);
        if (!state.unreachable_since) return { kind: 'paused' };
        const failedProbes = state.failed_probes + 1;
        const [row] = await tx.$queryRaw<{ next_probe_at: Date }[]>`
          UPDATE partner_push_stats SET failed_probes = ${failedProbes}, next_probe_at = now() + (${wholeMs(delayMs(failedProbes))} * interval '1 millisecond')
          WHERE partner_id = ${delivery.partnerId}::uuid RETURNING next_probe_at`;
        return { kind: 'probe-failed', failedProbes, nextProbeAt: row!.next_probe_at };
      });
    },

    /** An ordinary delivery got an HTTP answer (an error one: successes are counted by the outbox's completion). */
    async answered(partnerId: string): Promise<void> {
      await prisma.$executeRaw`
        UPDATE partner_push_stats SET consecutive_failures = 0
        WHERE partner_id = ${partnerId}::uuid AND consecutive_failures > 0 AND unreachable_since IS NULL`;
    },

    /**
     * The probe got an HTTP answer: the partner is reachable again (undefined: it already was), and its
     * deliveries are all due at once, those still waiting out a backoff from before the outage included.
     */
    async probeAnswered(probe: ClaimedDelivery): Promise<BackAgain | undefined> {
      const partnerId = probe.partnerId;
      const back = await prisma.$transaction(async (tx) => {
        const state = await lockStats(tx, partnerId);
        if (!state.unreachable_since) return undefined;
        const [row] = await tx.$queryRaw<{ down_ms: number; resuming: bigint }[]>`
          UPDATE partner_push_stats SET unreachable_since = NULL, next_probe_at = NULL, failed_probes = 0, consecutive_failures = 0,
            reachable_again_at = now()
          WHERE partner_id = ${partnerId}::uuid
          RETURNING (extract(epoch FROM now() - ${state.unreachable_since}::timestamptz) * 1000)::float8 AS down_ms,
            (SELECT count(*) FROM deliveries WHERE partner_id = ${partnerId}::uuid AND status = 'PENDING' AND id <> ${probe.id}) AS resuming`;
        return { since: state.unreachable_since, downMs: Math.round(row!.down_ms), failedProbes: state.failed_probes, resuming: Number(row!.resuming) };
      });
      // Its own statement, once the partner's row is released: deliveries are locked before that row, never after.
      if (back) {
        await prisma.$executeRaw`
          UPDATE deliveries SET next_attempt_at = now() WHERE partner_id = ${partnerId}::uuid AND status = 'PENDING' AND next_attempt_at > now()`;
      }
      return back;
    },

    /** The probe needed no request (nothing had changed for the partner): the next claim probes with another delivery. */
    async probeAgainNow(partnerId: string): Promise<void> {
      await prisma.$executeRaw`
        UPDATE partner_push_stats SET next_probe_at = now() WHERE partner_id = ${partnerId}::uuid AND unreachable_since IS NOT NULL`;
    },

    /** Every registered partner's reachability and transport failures since it last answered, for the metrics. */
    async all(): Promise<{ partner: string; reachable: boolean; consecutiveFailures: number }[]> {
      const rows = await prisma.$queryRaw<{ partner: string; reachable: boolean; failures: number | null }[]>`
        SELECT p.id::text AS partner, s.unreachable_since IS NULL AS reachable, s.consecutive_failures AS failures
        FROM partners p LEFT JOIN partner_push_stats s ON s.partner_id = p.id WHERE p.status = 'REGISTERED'`;
      return rows.map((r) => ({ partner: r.partner, reachable: r.reachable, consecutiveFailures: r.failures ?? 0 }));
    },

    /** Each partner's reachability; partners never pushed to are reachable. */
    async views(partnerIds: string[]): Promise<Map<string, ReachabilityView>> {
      const rows = await prisma.partnerPushStats.findMany({ where: { partnerId: { in: partnerIds } } });
      const byId = new Map(rows.map((row) => [row.partnerId, row]));
      const view = (id: string): ReachabilityView => {
        const row = byId.get(id);
        const consecutive_failures = row?.consecutiveFailures ?? 0;
        if (!row?.unreachableSince) return { state: 'REACHABLE', consecutive_failures };
        return {
          state: 'UNREACHABLE',
          since: row.unreachableSince.toISOString(),
          next_probe_at: row.nextProbeAt?.toISOString(),
          consecutive_failures,
          failed_probes: row.failedProbes,
        };
      };
      return new Map(partnerIds.map((id) => [id, view(id)]));
    },
  };
}

export type ReachabilityRepository = ReturnType<typeof createReachabilityRepository>;
