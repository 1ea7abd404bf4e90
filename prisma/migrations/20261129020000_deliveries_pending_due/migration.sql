-- The claim reads each partner's first due deliveries in order (src/push/claim.sql.ts): its cost is
-- bounded by the partners and their windows, not by the size of the backlog.
CREATE INDEX "deliveries_pending_due" ON "deliveries"("partner_id", "next_attempt_at", "id") WHERE "status" = 'PENDING';

-- The claim was its only reader; every delivery row wrote and rewrote its entries.
DROP INDEX "deliveries_status_next_attempt_at_idx";
