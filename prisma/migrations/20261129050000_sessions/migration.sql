-- CreateTable: `data` is json, not jsonb: it is served as written (the spec's field order) and never
-- queried inside; what the lists filter on (the token's eMSP party) is kept in columns, upper-cased.
CREATE TABLE "sessions" (
    "pk" BIGSERIAL NOT NULL,
    "country_code" VARCHAR(2) NOT NULL,
    "party_id" VARCHAR(3) NOT NULL,
    "id" VARCHAR(36) NOT NULL,
    "id_key" VARCHAR(36) NOT NULL,
    "token_country_code" VARCHAR(2) NOT NULL,
    "token_party_id" VARCHAR(3) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "data" JSON NOT NULL,
    "period_count" INTEGER NOT NULL DEFAULT 0,
    "periods_generation" INTEGER NOT NULL DEFAULT 1,
    "charging_preferences" JSON,
    "preferences_updated" TIMESTAMPTZ(3),
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "row_version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("pk")
);

CREATE UNIQUE INDEX "sessions_id_key_key" ON "sessions"("id_key");
CREATE INDEX "sessions_last_updated_idx" ON "sessions"("last_updated");
-- The OCPI list: one eMSP party's sessions in pk order.
CREATE INDEX "sessions_token_country_code_token_party_id_pk_idx" ON "sessions"("token_country_code", "token_party_id", "pk");
