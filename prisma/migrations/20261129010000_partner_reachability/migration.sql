-- AlterTable: whether a partner can be reached (issue 8, item 6). Transport failures (no HTTP answer at
-- all) since the partner last answered are counted; at PUSH_UNREACHABLE_AFTER of them it is unreachable
-- from unreachable_since: its deliveries pause and one probe delivery is sent at next_probe_at, backing
-- off per failed probe. reachable_again_at is when the last outage ended (paused time does not count
-- towards a delivery's PUSH_MAX_AGE_MS).
ALTER TABLE "partner_push_stats" ADD COLUMN "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "unreachable_since" TIMESTAMPTZ(3),
ADD COLUMN "next_probe_at" TIMESTAMPTZ(3),
ADD COLUMN "failed_probes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "reachable_again_at" TIMESTAMPTZ(3);
