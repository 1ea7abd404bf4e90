import type { Prisma } from '../generated/prisma/client';
import type { PrismaClient } from '../platform/database';

type Tx = Prisma.TransactionClient;

/** A delivery this process has claimed: it alone works on it until `claimToken`'s lease runs out. */
export interface ClaimedDelivery {
  id: bigint;
  partnerId: string;
  module: string;
  objectKey: string;
  changeSeq: number;
  /** Ignore what the partner acknowledged: send the object whole. */
  fullPut: boolean;
  attempts: number;
  changedAt: Date;
  createdAt: Date;
  claimToken: string;
}

export interface DeliveryView {
  module: string;
  object: string;
  status: 'PENDING' | 'FAILED';
  attempts: number;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  changed_at: string;
}

export interface DeliverySummary {
  pending: number;
  failed: number;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

const truncate = (message: string) => message.slice(0, 500);

/**
 * The outbox. Enqueue runs inside the data change's transaction; claims use FOR UPDATE SKIP LOCKED
 * and a lease, so several processes share the queue and no object is worked on twice at once.
 * All times are the database's, so processes agree on leases and schedules.
 */
export function createOutboxRepository(prisma: PrismaClient) {
  return {
    /** One pending delivery per registered partner with a RECEIVER for `module`; an existing one just learns of the change. */
    async enqueue(tx: Tx, module: string, objectKey: string): Promise<void> {
      const receiver = JSON.stringify([{ identifier: module, role: 'RECEIVER' }]);
      await tx.$executeRaw`
        INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at)
        SELECT p.id, ${module}, ${objectKey}, 'PENDING', now(), now() FROM partners p
        WHERE p.status = 'REGISTERED' AND p.endpoints @> ${receiver}::jsonb
        ON CONFLICT (partner_id, module, object_key) WHERE status = 'PENDING'
        DO UPDATE SET change_seq = deliveries.change_seq + 1`;
    },

    /** Full resync of one partner: forget what it acknowledged, queue every object key. */
    async resync(partnerId: string, module: string, objectKeys: string[]): Promise<number> {
      return prisma.$transaction(async (tx) => {
        await tx.partnerObject.deleteMany({ where: { partnerId, module } });
        if (objectKeys.length === 0) return 0;
        return tx.$executeRaw`
          INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at, full_put)
          SELECT ${partnerId}::uuid, ${module}, key, 'PENDING', now(), now(), true FROM unnest(${objectKeys}::text[]) AS key
          ON CONFLICT (partner_id, module, object_key) WHERE status = 'PENDING'
          DO UPDATE SET change_seq = deliveries.change_seq + 1, full_put = true`;
      });
    },

    /**
     * Claims up to `limit` due deliveries, at most `perPartner` in flight per partner counting the
     * ones this process already has (`inFlight`), so a slow partner cannot take every worker slot.
     */
    async claim(limit: number, perPartner: number, leaseMs: number, inFlight: Map<string, number>): Promise<ClaimedDelivery[]> {
      if (limit <= 0) return [];
      const partnerIds = [...inFlight.keys()];
      const counts = partnerIds.map((id) => inFlight.get(id) ?? 0);
      // The candidates are computed once (an InitPlan over ARRAY(...)) and then locked by primary key:
      // planned as a join, a stale estimate of the queue's size made this quadratic under a backlog.
      // A row still carrying a claim token was abandoned mid-attempt (its lease ran out): the partner
      // may or may not hold what was sent, so it gets the whole object.
      const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
        UPDATE deliveries d SET claim_token = gen_random_uuid(), locked_until = now() + (${leaseMs} * interval '1 millisecond'),
          last_attempt_at = now(), full_put = d.full_put OR d.claim_token IS NOT NULL
        FROM (
          SELECT id FROM deliveries
          WHERE id = ANY(ARRAY(
            SELECT id FROM (
              SELECT q.id, q.next_attempt_at,
                row_number() OVER (PARTITION BY q.partner_id ORDER BY q.next_attempt_at, q.id) + COALESCE(f.n, 0) AS slot
              FROM deliveries q LEFT JOIN unnest(${partnerIds}::uuid[], ${counts}::int[]) AS f(partner_id, n) ON f.partner_id = q.partner_id
              WHERE q.status = 'PENDING' AND q.next_attempt_at <= now() AND (q.locked_until IS NULL OR q.locked_until < now())
            ) due WHERE slot <= ${perPartner} ORDER BY next_attempt_at, id LIMIT ${limit * 4}
          )) AND status = 'PENDING' AND (locked_until IS NULL OR locked_until < now())
          ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ) c
        WHERE d.id = c.id
        RETURNING d.id, d.partner_id, d.module, d.object_key, d.change_seq, d.full_put, d.attempts, d.changed_at, d.created_at, d.claim_token`;
      return rows.map((row) => ({
        id: row.id as bigint,
        partnerId: row.partner_id as string,
        module: row.module as string,
        objectKey: row.object_key as string,
        changeSeq: row.change_seq as number,
        fullPut: row.full_put as boolean,
        attempts: row.attempts as number,
        changedAt: row.changed_at as Date,
        createdAt: row.created_at as Date,
        claimToken: row.claim_token as string,
      }));
    },

    /** Extends the lease; false when the claim was lost (the lease ran out and someone else took it). */
    async heartbeat(delivery: ClaimedDelivery, leaseMs: number): Promise<boolean> {
      const count = await prisma.$executeRaw`
        UPDATE deliveries SET locked_until = now() + (${leaseMs} * interval '1 millisecond')
        WHERE id = ${delivery.id} AND claim_token = ${delivery.claimToken}::uuid`;
      return count === 1;
    },

    async acknowledged(partnerId: string, module: string, objectKey: string): Promise<unknown> {
      const row = await prisma.partnerObject.findUnique({ where: { partnerId_module_objectKey: { partnerId, module, objectKey } } });
      return row?.snapshot ?? undefined;
    },

    /**
     * Delivered: record what the partner now holds and retire the row, unless a change arrived
     * meanwhile, in which case the row goes straight back to the queue. False if the claim was lost.
     */
    async complete(delivery: ClaimedDelivery, snapshot: unknown): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        if (!(await holdsClaim(tx, delivery))) return false;
        const key = { partnerId: delivery.partnerId, module: delivery.module, objectKey: delivery.objectKey };
        if (snapshot === undefined) await tx.partnerObject.deleteMany({ where: key });
        else {
          const data = { snapshot: snapshot as Prisma.InputJsonValue, ackedAt: new Date() };
          await tx.partnerObject.upsert({ where: { partnerId_module_objectKey: key }, create: { ...key, ...data }, update: data });
        }
        const deleted = await tx.$executeRaw`DELETE FROM deliveries WHERE id = ${delivery.id} AND change_seq = ${delivery.changeSeq}`;
        // The partner holds the object now: earlier failures of it are resolved.
        await tx.$executeRaw`
          DELETE FROM deliveries WHERE partner_id = ${delivery.partnerId}::uuid AND module = ${delivery.module}
            AND object_key = ${delivery.objectKey} AND status = 'FAILED'`;
        if (deleted === 0) await release(tx, delivery);
        // At most one write a second per partner (concurrent completions would otherwise queue on this
        // row), except right after an error, so the last success never reads as older than it.
        await tx.$executeRaw`
          INSERT INTO partner_push_stats (partner_id, last_success_at) VALUES (${delivery.partnerId}::uuid, now())
          ON CONFLICT (partner_id) DO UPDATE SET last_success_at = now()
          WHERE partner_push_stats.last_success_at IS NULL OR partner_push_stats.last_success_at < now() - interval '1 second'
            OR partner_push_stats.last_error_at >= partner_push_stats.last_success_at`;
        return true;
      });
    },

    /** The failed attempt may still have reached the partner (a timeout, say): the retry sends the whole object. */
    async retryLater(delivery: ClaimedDelivery, error: string, delayMs: number): Promise<void> {
      await prisma.$transaction(async (tx) => {
        if (!(await holdsClaim(tx, delivery))) return;
        await tx.$executeRaw`
          UPDATE deliveries SET claim_token = NULL, locked_until = NULL, attempts = attempts + 1, last_error = ${truncate(error)},
            next_attempt_at = now() + (${delayMs} * interval '1 millisecond'), full_put = true
          WHERE id = ${delivery.id}`;
        await recordError(tx, delivery.partnerId, error);
      });
    },

    /**
     * Gave up: the partner's copy can no longer be trusted, so its acknowledged state is forgotten
     * (the next delivery is a full PUT). A change that arrived during the attempt gets a fresh start.
     */
    async fail(delivery: ClaimedDelivery, error: string): Promise<void> {
      await prisma.$transaction(async (tx) => {
        if (!(await holdsClaim(tx, delivery))) return;
        await tx.partnerObject.deleteMany({ where: { partnerId: delivery.partnerId, module: delivery.module, objectKey: delivery.objectKey } });
        await tx.$executeRaw`
          UPDATE deliveries SET claim_token = NULL, locked_until = NULL, last_error = ${truncate(error)},
            status = CASE WHEN change_seq = ${delivery.changeSeq} THEN 'FAILED'::"DeliveryStatus" ELSE 'PENDING'::"DeliveryStatus" END,
            attempts = CASE WHEN change_seq = ${delivery.changeSeq} THEN attempts + 1 ELSE 0 END,
            next_attempt_at = now()
          WHERE id = ${delivery.id}`;
        await recordError(tx, delivery.partnerId, error);
      });
    },

    /** The partner is gone: nothing further is sent to it. */
    async drop(delivery: ClaimedDelivery): Promise<void> {
      await prisma.delivery.deleteMany({ where: { id: delivery.id, claimToken: delivery.claimToken } });
    },

    async summary(partnerId: string): Promise<DeliverySummary> {
      const [counts, stats] = await Promise.all([
        prisma.delivery.groupBy({ by: ['status'], where: { partnerId }, _count: { _all: true } }),
        prisma.partnerPushStats.findUnique({ where: { partnerId } }),
      ]);
      const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
      return {
        pending: count('PENDING'),
        failed: count('FAILED'),
        last_success_at: stats?.lastSuccessAt?.toISOString() ?? null,
        last_error: stats?.lastError ?? null,
        last_error_at: stats?.lastErrorAt?.toISOString() ?? null,
      };
    },

    async list(partnerId: string, status: 'PENDING' | 'FAILED' | undefined, limit: number): Promise<DeliveryView[]> {
      const rows = await prisma.delivery.findMany({ where: { partnerId, ...(status ? { status } : {}) }, orderBy: { id: 'asc' }, take: limit });
      return rows.map((row) => ({
        module: row.module,
        object: row.objectKey,
        status: row.status,
        attempts: row.attempts,
        last_error: row.lastError,
        last_attempt_at: row.lastAttemptAt?.toISOString() ?? null,
        next_attempt_at: row.status === 'PENDING' ? row.nextAttemptAt.toISOString() : null,
        changed_at: row.changedAt.toISOString(),
      }));
    },
  };
}

async function holdsClaim(tx: Tx, delivery: ClaimedDelivery): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM deliveries WHERE id = ${delivery.id} AND claim_token = ${delivery.claimToken}::uuid FOR UPDATE`;
  return rows.length === 1;
}

/** Back to the queue at once; a full PUT asked for during this attempt (resync) is still owed. */
async function release(tx: Tx, delivery: ClaimedDelivery): Promise<void> {
  await tx.$executeRaw`
    UPDATE deliveries SET claim_token = NULL, locked_until = NULL, attempts = 0, last_error = NULL, next_attempt_at = now(),
      full_put = CASE WHEN ${delivery.fullPut} THEN false ELSE full_put END
    WHERE id = ${delivery.id}`;
}

async function recordError(tx: Tx, partnerId: string, error: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO partner_push_stats (partner_id, last_error, last_error_at) VALUES (${partnerId}::uuid, ${truncate(error)}, now())
    ON CONFLICT (partner_id) DO UPDATE SET last_error = EXCLUDED.last_error, last_error_at = now()`;
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
