-- CreateTable: finished CDRs, immutable once stored. `data` is json, not jsonb: it is served as written
-- (the spec's field order, without last_updated) and never queried inside.
CREATE TABLE "cdrs" (
    "pk" BIGSERIAL NOT NULL,
    "country_code" VARCHAR(2) NOT NULL,
    "party_id" VARCHAR(3) NOT NULL,
    "id" VARCHAR(39) NOT NULL,
    "id_key" VARCHAR(39) NOT NULL,
    "token_country_code" VARCHAR(2) NOT NULL,
    "token_party_id" VARCHAR(3) NOT NULL,
    "credit_reference_key" VARCHAR(39),
    "data" JSON NOT NULL,
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "row_version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "cdrs_pkey" PRIMARY KEY ("pk")
);

-- One CDR per id (case-insensitive): the same id again is refused even when two arrive at once.
CREATE UNIQUE INDEX "cdrs_id_key_key" ON "cdrs"("id_key");
-- A CDR is credited at most once: of two concurrent credits of one CDR, exactly one commits.
CREATE UNIQUE INDEX "cdrs_credit_reference_key_key" ON "cdrs"("credit_reference_key");
-- A partner's pull: its own CDRs (by the token's party) in pk order.
CREATE INDEX "cdrs_token_country_code_token_party_id_pk_idx" ON "cdrs"("token_country_code", "token_party_id", "pk");
CREATE INDEX "cdrs_last_updated_idx" ON "cdrs"("last_updated");

-- A credit names a stored CDR. NO ACTION (not RESTRICT): PostgreSQL 17 (the embedded database) reports
-- RESTRICT as 23001; NO ACTION is 23503 everywhere. CDRs are never deleted anyway.
ALTER TABLE "cdrs" ADD CONSTRAINT "cdrs_credit_reference_key_fkey"
    FOREIGN KEY ("credit_reference_key") REFERENCES "cdrs"("id_key") ON DELETE NO ACTION ON UPDATE NO ACTION;
