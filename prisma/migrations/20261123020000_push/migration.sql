-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'FAILED');

-- CreateTable
CREATE TABLE "deliveries" (
    "id" BIGSERIAL NOT NULL,
    "partner_id" UUID NOT NULL,
    "module" VARCHAR(32) NOT NULL,
    "object_key" VARCHAR(120) NOT NULL,
    "status" "DeliveryStatus" NOT NULL,
    "change_seq" INTEGER NOT NULL DEFAULT 1,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "claim_token" UUID,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" VARCHAR(500),
    "last_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner_objects" (
    "partner_id" UUID NOT NULL,
    "module" VARCHAR(32) NOT NULL,
    "object_key" VARCHAR(120) NOT NULL,
    "snapshot" JSONB NOT NULL,
    "acked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "partner_objects_pkey" PRIMARY KEY ("partner_id","module","object_key")
);

-- CreateTable
CREATE TABLE "partner_push_stats" (
    "partner_id" UUID NOT NULL,
    "last_success_at" TIMESTAMPTZ(3),
    "last_error" VARCHAR(500),
    "last_error_at" TIMESTAMPTZ(3),

    CONSTRAINT "partner_push_stats_pkey" PRIMARY KEY ("partner_id")
);

-- CreateIndex
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "deliveries_partner_id_status_idx" ON "deliveries"("partner_id", "status");

-- At most one pending delivery per (partner, object); Prisma's schema language cannot express this.
CREATE UNIQUE INDEX "deliveries_one_pending_per_object" ON "deliveries"("partner_id", "module", "object_key") WHERE "status" = 'PENDING';

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_objects" ADD CONSTRAINT "partner_objects_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "partner_push_stats" ADD CONSTRAINT "partner_push_stats_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;
