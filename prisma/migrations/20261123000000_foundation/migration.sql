-- CreateEnum
CREATE TYPE "PartnerStatus" AS ENUM ('PENDING', 'REGISTERED', 'UNREGISTERED');

-- CreateEnum
CREATE TYPE "TokenRole" AS ENUM ('ADMIN', 'REGISTRATION', 'CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP');

-- CreateEnum
CREATE TYPE "TokenStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateTable
CREATE TABLE "partners" (
    "id" UUID NOT NULL,
    "status" "PartnerStatus" NOT NULL,
    "versions_url" VARCHAR(255),
    "ocpi_version" VARCHAR(10),
    "endpoints" JSONB NOT NULL DEFAULT '[]',
    "roles" JSONB NOT NULL DEFAULT '[]',
    "outbound_token" VARCHAR(64),
    "row_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "registered_at" TIMESTAMPTZ(3),

    CONSTRAINT "partners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_tokens" (
    "id" UUID NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "role" "TokenRole" NOT NULL,
    "status" "TokenStatus" NOT NULL,
    "label" VARCHAR(64),
    "partner_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "access_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "access_tokens_token_hash_key" ON "access_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "access_tokens_partner_id_idx" ON "access_tokens"("partner_id");

-- AddForeignKey
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;
