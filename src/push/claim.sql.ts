import { Prisma } from '../generated/prisma/client';

/**
 * The statement behind `claim`. Each partner with room in its window gets its first due rows in the
 * usual order (next_attempt_at, id), read from the partial index `deliveries_pending_due` and locked
 * there (SKIP LOCKED); the oldest `limit` of those are claimed. Its cost is bounded by the partners and
 * their windows, not by the backlog: ranking every due row (as before) took 6 ms per claim behind a
 * few thousand pending deliveries, a fifth of PostgreSQL's work during an import. A row still carrying
 * a claim token was abandoned mid-attempt (its lease ran out): the partner may or may not hold what
 * was sent, so it gets the whole object.
 *
 * Partner reachability (push/reachability.ts): a partner with transport failures since it last
 * answered (`troubled`) gets one delivery in flight at a time per process, so a partner that has just
 * gone down sees one connection attempt after another rather than a burst; an unreachable one
 * (`paused`) gets none, except a probe: its first pending delivery in the usual order, once its
 * `next_probe_at` has come. Taking a probe moves `next_probe_at` a lease ahead in the same statement,
 * under a row lock that concurrent claims skip (and re-check once it is released), so among all
 * processes exactly one takes it; the probe's outcome then sets the real next probe time, and a process
 * that dies mid-probe leaves the next one to whoever claims after the lease. Probes come on top of
 * `limit`, at most one per unreachable partner, in their own UPDATE (the rows differ: the ordinary
 * claim skips paused partners), so the ordinary claim keeps its plan. Each row returned says whether it
 * is a probe, and from when its age counts (`aged_from`: its change, or the end of the partner's last
 * outage if that is later).
 */
export function claimSql(limit: number, perPartner: number, leaseMs: number, inFlight: Map<string, number>): Prisma.Sql {
  const partnerIds = [...inFlight.keys()];
  const counts = partnerIds.map((id) => inFlight.get(id) ?? 0);
  const lease = Prisma.sql`now() + (${leaseMs} * interval '1 millisecond')`;
  const claimed = Prisma.sql`claim_token = gen_random_uuid(), locked_until = ${lease}, last_attempt_at = now(), full_put = d.full_put OR d.claim_token IS NOT NULL`;
  const returned = Prisma.sql`d.id, d.partner_id, d.module, d.object_key, d.change_seq, d.full_put, d.attempts, d.changed_at, d.created_at, d.claim_token,
    GREATEST(d.changed_at, (SELECT s.reachable_again_at FROM partner_push_stats s WHERE s.partner_id = d.partner_id)) AS aged_from`;
  return Prisma.sql`
    WITH troubled AS MATERIALIZED (
      SELECT partner_id, unreachable_since IS NOT NULL AS paused FROM partner_push_stats
      WHERE consecutive_failures > 0 OR unreachable_since IS NOT NULL
    ), probes AS (
      -- Per unreachable partner (few rows, scanned first), its first pending delivery in the usual order.
      SELECT p.partner_id, first.id FROM partner_push_stats p CROSS JOIN LATERAL (
        SELECT id FROM deliveries
        WHERE partner_id = p.partner_id AND status = 'PENDING' AND (locked_until IS NULL OR locked_until < now())
        ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
      ) first
      WHERE p.unreachable_since IS NOT NULL AND p.next_probe_at <= now()
      FOR UPDATE OF p SKIP LOCKED
    ), probing AS (
      UPDATE partner_push_stats s SET next_probe_at = ${lease} FROM probes WHERE s.partner_id = probes.partner_id
    ), claimed_probes AS (
      UPDATE deliveries d SET ${claimed} FROM probes WHERE d.id = probes.id RETURNING ${returned}, true AS probe
    ), windows AS (
      -- Per partner not paused: how many more it may have in flight (one while it is troubled); a partner
      -- without due rows costs one empty probe of the index.
      SELECT p.id AS partner_id,
        CASE WHEN t.partner_id IS NOT NULL THEN 1 ELSE ${perPartner} END - COALESCE(f.n, 0) AS room
      FROM partners p
      LEFT JOIN troubled t ON t.partner_id = p.id
      LEFT JOIN unnest(${partnerIds}::uuid[], ${counts}::int[]) AS f(partner_id, n) ON f.partner_id = p.id
      WHERE NOT COALESCE(t.paused, false)
    ), candidates AS (
      SELECT due.id, due.next_attempt_at FROM windows w CROSS JOIN LATERAL (
        SELECT q.id, q.next_attempt_at FROM deliveries q
        WHERE q.partner_id = w.partner_id AND q.status = 'PENDING' AND q.next_attempt_at <= now()
          AND (q.locked_until IS NULL OR q.locked_until < now())
        ORDER BY q.next_attempt_at, q.id LIMIT GREATEST(w.room, 0) FOR UPDATE SKIP LOCKED
      ) due
      WHERE w.room > 0
      ORDER BY due.next_attempt_at, due.id LIMIT ${limit}
    ), claimed AS (
      UPDATE deliveries d SET ${claimed} FROM candidates c WHERE d.id = c.id
      RETURNING ${returned}, false AS probe
    )
    SELECT * FROM claimed UNION ALL SELECT * FROM claimed_probes`;
}
