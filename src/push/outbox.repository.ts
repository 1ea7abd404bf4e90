import { Prisma } from '../generated/prisma/client';
import { rawQueriesOf, type PrismaClient } from '../platform/database';
import { claimSql } from './claim.sql';
import type { PartyRef } from '../modules/credentials/partner.mapper';
import type { Prerequisites } from './delivery-handler';

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
  /** Sent as the probe of an unreachable partner (push/reachability.ts): its outcome decides the partner's state. */
  probe: boolean;
  /** Its age (PUSH_MAX_AGE_MS) counts from here: its change, or the end of the partner's last outage if later. */
  agedFrom: Date;
  /** This process's monotonic clock (`performance.now()`) just before the claim was asked for: the lease runs at least until this plus its length. */
  claimedAt: number;
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

/** A CDR its owner acknowledged, with the `Location` it answered (null: none). */
export interface DeliveredCdrView {
  module: 'cdrs';
  object: string;
  status: 'DELIVERED';
  location: string | null;
  delivered_at: string;
}

export interface DeliverySummary {
  pending: number;
  failed: number;
  /** CDRs this partner acknowledged. */
  delivered_cdrs: number;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

/** One partner's deliveries of one module, for the metrics. */
export interface Backlog {
  partner: string;
  module: string;
  pending: number;
  failed: number;
  /** Seconds since the oldest pending delivery's change (0 when none is pending). */
  oldestPendingS: number;
}

/** A delivery whose requests all succeeded, and what the partner holds now (undefined: nothing to remember). */
export interface Delivered {
  delivery: ClaimedDelivery;
  state: unknown;
}

export const ackKey = (partnerId: string, module: string, objectKey: string) => `${partnerId}/${module}/${objectKey}`;

const truncate = (message: string) => message.slice(0, 500);

/** Inside `tx`: a pending delivery of each key that sends the object whole (a pending one is told so and sends the latest state). */
async function queueFullPuts(tx: Tx, partnerId: string, module: string, objectKeys: string[]): Promise<number> {
  if (objectKeys.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at, full_put)
    SELECT ${partnerId}::uuid, ${module}, key, 'PENDING', now(), now(), true FROM unnest(${objectKeys}::text[]) AS key
    ON CONFLICT (partner_id, module, object_key) WHERE status = 'PENDING'
    DO UPDATE SET change_seq = deliveries.change_seq + 1, full_put = true`;
}

/**
 * The outbox. Enqueue runs inside the data change's transaction; claims use FOR UPDATE SKIP LOCKED
 * and a lease, so several processes share the queue and no object is worked on twice at once.
 * All times are the database's, so processes agree on leases and schedules.
 */
export function createOutboxRepository(prisma: PrismaClient) {
  // The statements every delivery goes through run on the pool directly (platform/database.ts).
  const raw = rawQueriesOf(prisma);
  return {
    /**
     * One pending delivery per registered partner with a RECEIVER for `module` (only the partners holding
     * `owner`, when given: sessions and CDRs go to their token's party alone); an existing one just
     * learns of the change.
     */
    async enqueue(tx: Tx, module: string, objectKey: string, owner?: PartyRef): Promise<void> {
      await tx.$executeRaw(enqueueSql(module, objectKey, Prisma.sql`TRUE`, owner));
    },

    /** Queues `objectKeys` for one partner (what it owns, once it registers); pending ones are left as they are. */
    async enqueueFor(partnerId: string, module: string, objectKeys: string[]): Promise<number> {
      if (objectKeys.length === 0) return 0;
      return prisma.$executeRaw`
        INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at)
        SELECT ${partnerId}::uuid, ${module}, key, 'PENDING', now(), now() FROM unnest(${objectKeys}::text[]) AS key ORDER BY key
        ON CONFLICT (partner_id, module, object_key) WHERE status = 'PENDING' DO NOTHING`;
    },

    enqueueSql,

    /**
     * Inside `tx`: one pending delivery of `objectKey` for one partner, first due at `dueAt` (a command's
     * result: sent at its deadline unless it is known earlier, see `makeDue`).
     */
    async enqueueDueAt(tx: Tx, partnerId: string, module: string, objectKey: string, dueAt: Date): Promise<void> {
      await tx.$executeRaw`
        INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at)
        VALUES (${partnerId}::uuid, ${module}, ${objectKey}, 'PENDING', ${dueAt}, now())
        ON CONFLICT (partner_id, module, object_key) WHERE status = 'PENDING' DO UPDATE SET next_attempt_at = LEAST(deliveries.next_attempt_at, EXCLUDED.next_attempt_at)`;
    },

    /** Inside `tx`: the partner's pending delivery of `objectKey` that waits for a later due time is due now. */
    async makeDue(tx: Tx, partnerId: string, module: string, objectKey: string): Promise<void> {
      await tx.$executeRaw`
        UPDATE deliveries SET next_attempt_at = now()
        WHERE partner_id = ${partnerId}::uuid AND module = ${module} AND object_key = ${objectKey} AND status = 'PENDING' AND next_attempt_at > now()`;
    },

    /** Drops the partner's pending delivery of `objectKey` if nobody is working on it (what it would send no longer exists). */
    async dropPending(partnerId: string, module: string, objectKey: string): Promise<void> {
      await prisma.$executeRaw`
        DELETE FROM deliveries
        WHERE partner_id = ${partnerId}::uuid AND module = ${module} AND object_key = ${objectKey} AND status = 'PENDING' AND claim_token IS NULL`;
    },

    /** Full resync of one partner: forget what it acknowledged, queue every object key. */
    async resync(partnerId: string, module: string, objectKeys: string[]): Promise<number> {
      return prisma.$transaction(async (tx) => {
        await tx.partnerObject.deleteMany({ where: { partnerId, module } });
        return queueFullPuts(tx, partnerId, module, objectKeys);
      });
    },

    /** `objectKeys` the partner does not hold as acknowledged (a reconcile found them missing or different): forget those acknowledgements, queue full PUTs. */
    async requeueWhole(partnerId: string, module: string, objectKeys: string[]): Promise<number> {
      if (objectKeys.length === 0) return 0;
      return prisma.$transaction(async (tx) => {
        await tx.partnerObject.deleteMany({ where: { partnerId, module, objectKey: { in: objectKeys } } });
        return queueFullPuts(tx, partnerId, module, objectKeys);
      });
    },

    /**
     * Claims up to `limit` due deliveries, at most `perPartner` in flight per partner counting the
     * ones this process already has (`inFlight`), so a slow partner cannot take every worker slot.
     */
    async claim(limit: number, perPartner: number, leaseMs: number, inFlight: Map<string, number>): Promise<ClaimedDelivery[]> {
      if (limit <= 0) return [];
      const claimedAt = performance.now();
      const rows = await raw.run<Record<string, unknown>>(claimSql(limit, perPartner, leaseMs, inFlight));
      return rows.map((row) => ({
        id: BigInt(row.id as string | bigint),
        partnerId: row.partner_id as string,
        module: row.module as string,
        objectKey: row.object_key as string,
        changeSeq: row.change_seq as number,
        fullPut: row.full_put as boolean,
        attempts: row.attempts as number,
        changedAt: row.changed_at as Date,
        createdAt: row.created_at as Date,
        claimToken: row.claim_token as string,
        probe: row.probe as boolean,
        agedFrom: row.aged_from as Date,
        claimedAt,
      }));
    },

    /** Extends the lease; false when the claim was lost (the lease ran out, or the row is gone). */
    async heartbeat(delivery: ClaimedDelivery, leaseMs: number): Promise<boolean> {
      const count = await prisma.$executeRaw`
        UPDATE deliveries SET locked_until = now() + (${leaseMs} * interval '1 millisecond')
        WHERE id = ${delivery.id} AND claim_token = ${delivery.claimToken}::uuid`;
      return count === 1;
    },

    /** What each partner last confirmed holding of each object, keyed by `ackKey`; absent: nothing known. */
    async acknowledgedMany(deliveries: ClaimedDelivery[]): Promise<Map<string, unknown>> {
      if (deliveries.length === 0) return new Map();
      // One primary-key lookup per delivery (LIMIT 1 keeps the planner from hashing the whole table on stale statistics).
      const rows = await raw.run<{ partner_id: string; module: string; object_key: string; snapshot: string }>(Prisma.sql`
        SELECT o.partner_id::text, o.module, o.object_key, o.snapshot::text
        FROM unnest(${deliveries.map((d) => d.partnerId)}::uuid[], ${deliveries.map((d) => d.module)}::text[], ${deliveries.map((d) => d.objectKey)}::text[])
          AS t(partner_id, module, object_key)
        CROSS JOIN LATERAL (SELECT * FROM partner_objects o
          WHERE o.partner_id = t.partner_id AND o.module = t.module AND o.object_key = t.object_key LIMIT 1) o`);
      // Partners that acknowledged the same state hold the same text: it is parsed once (and shared, read-only).
      const parsed = new Map<string, unknown>();
      const parse = (text: string) => {
        if (!parsed.has(text)) parsed.set(text, JSON.parse(text));
        return parsed.get(text);
      };
      return new Map(rows.map((row) => [ackKey(row.partner_id, row.module, row.object_key), parse(row.snapshot)]));
    },

    /** Which of `items` the partner has acknowledged, keyed by `ackKey`. */
    async heldMany(items: { partnerId: string; module: string; objectKey: string }[]): Promise<Set<string>> {
      if (items.length === 0) return new Set();
      const rows = await raw.run<{ partner_id: string; module: string; object_key: string }>(Prisma.sql`
        SELECT o.partner_id::text, o.module, o.object_key
        FROM unnest(${items.map((i) => i.partnerId)}::uuid[], ${items.map((i) => i.module)}::text[], ${items.map((i) => i.objectKey)}::text[])
          AS t(partner_id, module, object_key)
        CROSS JOIN LATERAL (SELECT partner_id, module, object_key FROM partner_objects o
          WHERE o.partner_id = t.partner_id AND o.module = t.module AND o.object_key = t.object_key LIMIT 1) o`);
      return new Set(rows.map((row) => ackKey(row.partner_id, row.module, row.object_key)));
    },

    /**
     * The delivery needs objects the partner does not hold yet: each gets a pending delivery of its own
     * if it has none (one that failed for good is tried again), and this one is released to be tried
     * after them (and after `delayMs`). Nothing was sent, so nothing about the partner is recorded; a
     * probe that waits lets the next claim probe at once, which then takes the prerequisite first.
     */
    async waitFor(delivery: ClaimedDelivery, needed: Prerequisites, reason: string, delayMs: number): Promise<void> {
      const { module, objectKeys } = needed;
      await prisma.$transaction(async (tx) => {
        if (!(await holdsClaim(tx, delivery))) return;
        await tx.$executeRaw`
          INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at)
          SELECT ${delivery.partnerId}::uuid, ${module}, key, 'PENDING', now(), now() FROM unnest(${objectKeys}::text[]) AS key ORDER BY key
          ON CONFLICT (partner_id, module, object_key) WHERE status = 'PENDING' DO NOTHING`;
        await tx.$executeRaw`
          UPDATE deliveries SET claim_token = NULL, locked_until = NULL, attempts = attempts + 1, last_error = ${truncate(reason)},
            next_attempt_at = GREATEST(now() + (${delayMs} * interval '1 millisecond'), (
              SELECT max(p.next_attempt_at) + interval '10 milliseconds' FROM deliveries p
              WHERE p.partner_id = ${delivery.partnerId}::uuid AND p.module = ${module} AND p.object_key = ANY(${objectKeys}::text[]) AND p.status = 'PENDING'))
          WHERE id = ${delivery.id}`;
        if (delivery.probe) {
          await tx.$executeRaw`
            UPDATE partner_push_stats SET next_probe_at = now() WHERE partner_id = ${delivery.partnerId}::uuid AND unreachable_since IS NOT NULL`;
        }
      });
    },

    /**
     * Delivered, for a batch in one statement: record what each partner now holds and retire each
     * row, unless a change arrived meanwhile, in which case it goes straight back to the queue; earlier
     * failures of those objects are resolved. Returns the ids whose claim still held (the others were
     * lost to an expired lease and are left alone). Rows are locked in (partner, module, object) order,
     * the order `enqueue` locks them in, so the two cannot deadlock.
     */
    async completeMany(done: Delivered[]): Promise<Set<bigint>> {
      if (done.length === 0) return new Set();
      // One object delivered to ten partners is one state: sent, and checked as JSON, once.
      const stateNumbers = new Map<unknown, number>();
      for (const { state } of done) if (state !== undefined && !stateNumbers.has(state)) stateNumbers.set(state, stateNumbers.size + 1);
      const held = await raw.run<{ id: string | bigint }>(Prisma.sql`
        WITH input AS (
          SELECT * FROM unnest(${done.map((d) => String(d.delivery.id))}::bigint[], ${done.map((d) => d.delivery.claimToken)}::uuid[],
            ${done.map((d) => d.delivery.changeSeq)}::int[], ${done.map((d) => d.delivery.fullPut)}::boolean[],
            ${done.map((d) => (d.state === undefined ? null : stateNumbers.get(d.state)!))}::int[]) AS t(id, token, seq, sent_whole, state_no)
        ), states AS MATERIALIZED (
          SELECT n, state::json AS snapshot FROM unnest(${[...stateNumbers.keys()].map((state) => JSON.stringify(state))}::text[]) WITH ORDINALITY AS s(state, n)
        ), held AS (
          SELECT d.id, d.partner_id, d.module, d.object_key, d.change_seq, i.seq, i.sent_whole, i.state_no
          FROM deliveries d JOIN input i ON d.id = i.id AND d.claim_token = i.token
          ORDER BY d.partner_id, d.module, d.object_key FOR UPDATE OF d
        ), acknowledged AS (
          INSERT INTO partner_objects (partner_id, module, object_key, snapshot, acked_at)
          SELECT h.partner_id, h.module, h.object_key, s.snapshot, now() FROM held h JOIN states s ON s.n = h.state_no ORDER BY 1, 2, 3
          ON CONFLICT (partner_id, module, object_key) DO UPDATE SET snapshot = EXCLUDED.snapshot, acked_at = EXCLUDED.acked_at
        ), forgotten AS (
          DELETE FROM partner_objects o USING held h
          WHERE h.state_no IS NULL AND o.partner_id = h.partner_id AND o.module = h.module AND o.object_key = h.object_key
        ), retired AS (
          DELETE FROM deliveries d USING held h WHERE d.id = h.id AND h.change_seq = h.seq
        ), released AS (
          UPDATE deliveries d SET claim_token = NULL, locked_until = NULL, attempts = 0, last_error = NULL, next_attempt_at = now(),
            full_put = CASE WHEN h.sent_whole THEN false ELSE d.full_put END
          FROM held h WHERE d.id = h.id AND h.change_seq <> h.seq
        ), resolved AS (
          DELETE FROM deliveries d USING held h
          WHERE d.partner_id = h.partner_id AND d.module = h.module AND d.object_key = h.object_key AND d.status = 'FAILED'
        ), stats AS (
          -- At most one write a second per partner, except right after an error, so the last success never reads as older than it.
          -- An answer ends a run of transport failures (push/reachability.ts); while unreachable, only the probe decides.
          INSERT INTO partner_push_stats AS s (partner_id, last_success_at)
          SELECT DISTINCT partner_id, now() FROM held ORDER BY 1
          ON CONFLICT (partner_id) DO UPDATE SET last_success_at = now(),
            consecutive_failures = CASE WHEN s.unreachable_since IS NULL THEN 0 ELSE s.consecutive_failures END
          WHERE s.last_success_at IS NULL OR s.last_success_at < now() - interval '1 second' OR s.last_error_at >= s.last_success_at
            OR (s.consecutive_failures > 0 AND s.unreachable_since IS NULL)
        )
        SELECT id FROM held`);
      return new Set(held.map((row) => BigInt(row.id)));
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

    /**
     * Per registered partner (and any other one that still has rows) and per module of `modules`, zero
     * included: pending and failed deliveries and the age in seconds of the oldest pending change, by the
     * database's clock. One statement, read when the metrics are scraped.
     */
    async backlog(modules: readonly string[]): Promise<Backlog[]> {
      const rows = await prisma.$queryRaw<{ partner: string; module: string; pending: bigint; failed: bigint; oldest_s: number }[]>`
        SELECT p.id::text AS partner, m.module,
          count(d.id) FILTER (WHERE d.status = 'PENDING') AS pending,
          count(d.id) FILTER (WHERE d.status = 'FAILED') AS failed,
          COALESCE(extract(epoch FROM now() - min(d.changed_at) FILTER (WHERE d.status = 'PENDING')), 0)::float8 AS oldest_s
        FROM partners p CROSS JOIN unnest(${[...modules]}::text[]) AS m(module)
        LEFT JOIN deliveries d ON d.partner_id = p.id AND d.module = m.module
        WHERE p.status = 'REGISTERED' OR d.id IS NOT NULL
        GROUP BY p.id, m.module`;
      return rows.map((r) => ({ partner: r.partner, module: r.module, pending: Number(r.pending), failed: Number(r.failed), oldestPendingS: Math.max(0, r.oldest_s) }));
    },

    async summary(partnerId: string): Promise<DeliverySummary> {
      const [counts, stats, deliveredCdrs] = await Promise.all([
        prisma.delivery.groupBy({ by: ['status'], where: { partnerId }, _count: { _all: true } }),
        prisma.partnerPushStats.findUnique({ where: { partnerId } }),
        prisma.partnerObject.count({ where: { partnerId, module: 'cdrs' } }),
      ]);
      const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
      return {
        pending: count('PENDING'),
        failed: count('FAILED'),
        delivered_cdrs: deliveredCdrs,
        last_success_at: stats?.lastSuccessAt?.toISOString() ?? null,
        last_error: stats?.lastError ?? null,
        last_error_at: stats?.lastErrorAt?.toISOString() ?? null,
      };
    },

    /**
     * Failed deliveries of one partner (of `module`, and `objectKey`, when given) go back to the queue as
     * new: attempts and age start again. One whose object has a pending delivery already is just removed.
     */
    async retryFailed(partnerId: string, module?: string, objectKey?: string): Promise<number> {
      const filter = Prisma.sql`partner_id = ${partnerId}::uuid AND status = 'FAILED'
        AND (${module ?? null}::text IS NULL OR module = ${module ?? null}) AND (${objectKey ?? null}::text IS NULL OR object_key = ${objectKey ?? null})`;
      return prisma.$transaction(async (tx) => {
        // At most one pending delivery per object: the latest failure of each stands for the others.
        await tx.$executeRaw`
          DELETE FROM deliveries f WHERE ${filter} AND EXISTS (SELECT 1 FROM deliveries p
            WHERE p.partner_id = f.partner_id AND p.module = f.module AND p.object_key = f.object_key
              AND (p.status = 'PENDING' OR (p.status = 'FAILED' AND p.id > f.id)))`;
        return tx.$executeRaw`
          UPDATE deliveries SET status = 'PENDING', attempts = 0, full_put = true, next_attempt_at = now(), changed_at = now(), claim_token = NULL, locked_until = NULL
          WHERE ${filter}`;
      });
    },

    /** The CDRs this partner acknowledged, latest first, with the Location each answer carried. */
    async deliveredCdrs(partnerId: string, limit: number): Promise<DeliveredCdrView[]> {
      const rows = await prisma.partnerObject.findMany({ where: { partnerId, module: 'cdrs' }, orderBy: { ackedAt: 'desc' }, take: limit });
      return rows.map((row) => ({
        module: 'cdrs',
        object: row.objectKey,
        status: 'DELIVERED',
        location: (row.snapshot as { location?: string | null } | null)?.location ?? null,
        delivered_at: row.ackedAt.toISOString(),
      }));
    },

    async list(partnerId: string, status: 'PENDING' | 'FAILED' | undefined, limit: number, module?: string): Promise<DeliveryView[]> {
      const rows = await prisma.delivery.findMany({
        where: { partnerId, ...(status ? { status } : {}), ...(module ? { module } : {}) },
        orderBy: { id: 'asc' },
        take: limit,
      });
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

/**
 * The statement behind `enqueue`, for a write that wants it inside its own statement; `onlyIf` gates
 * it (e.g. on that write's compare-and-set), `owner` narrows it to the partners holding that party.
 * Rows are locked in partner order, as completion locks them.
 */
function enqueueSql(module: string, objectKey: string, onlyIf: Prisma.Sql = Prisma.sql`TRUE`, owner?: PartyRef): Prisma.Sql {
  const receiver = JSON.stringify([{ identifier: module, role: 'RECEIVER' }]);
  const owns = owner
    ? Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements(p.roles) r
        WHERE upper(r->>'country_code') = ${owner.country_code.toUpperCase()} AND upper(r->>'party_id') = ${owner.party_id.toUpperCase()})`
    : Prisma.sql`TRUE`;
  return Prisma.sql`
    INSERT INTO deliveries (partner_id, module, object_key, status, next_attempt_at, changed_at)
    SELECT p.id, ${module}, ${objectKey}, 'PENDING', now(), now() FROM partners p
    WHERE p.status = 'REGISTERED' AND p.endpoints @> ${receiver}::jsonb AND ${owns} AND ${onlyIf} ORDER BY p.id
    ON CONFLICT (partner_id, module, object_key) WHERE status = 'PENDING'
    DO UPDATE SET change_seq = deliveries.change_seq + 1`;
}

/** Locks the delivery's row, if this claim on it still holds (its lease did not run out and it was not dropped). */
export async function holdsClaim(tx: Tx, delivery: ClaimedDelivery): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM deliveries WHERE id = ${delivery.id} AND claim_token = ${delivery.claimToken}::uuid FOR UPDATE`;
  return rows.length === 1;
}

async function recordError(tx: Tx, partnerId: string, error: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO partner_push_stats (partner_id, last_error, last_error_at) VALUES (${partnerId}::uuid, ${truncate(error)}, now())
    ON CONFLICT (partner_id) DO UPDATE SET last_error = EXCLUDED.last_error, last_error_at = now()`;
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
