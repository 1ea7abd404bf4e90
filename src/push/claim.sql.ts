import { Prisma } from '../generated/prisma/client';

/**
 * The statement behind `claim`. The candidates are computed once (an InitPlan over ARRAY(...)) and
 * then locked by primary key: planned as a join, a stale estimate of the queue's size made this
 * quadratic under a backlog. A row still carrying a claim token was abandoned mid-attempt (its lease
 * ran out): the partner may or may not hold what was sent, so it gets the whole object.
 */
export function claimSql(limit: number, perPartner: number, leaseMs: number, inFlight: Map<string, number>): Prisma.Sql {
  const partnerIds = [...inFlight.keys()];
  const counts = partnerIds.map((id) => inFlight.get(id) ?? 0);
  return Prisma.sql`
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
}
