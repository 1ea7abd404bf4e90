-- On a deliveries table without statistics (an import's backlog; autovacuum has not run yet) the planner
-- expected one PENDING row per partner and let the claim read a partner's whole backlog through
-- (partner_id, status) and sort it, per claim (31 ms and a sort on disk behind 75,000 deliveries, 0.7 ms
-- from deliveries_pending_due). The PENDING rows are reached through the two partial indexes only.
DROP INDEX "deliveries_partner_id_status_idx";

-- What (partner_id, status) still served: a partner's failed deliveries for the admin API.
CREATE INDEX "deliveries_failed_by_partner" ON "deliveries"("partner_id", "id") WHERE "status" = 'FAILED';
