-- CreateTable: the eMSPs' tokens (digest §3.5), pushed to our Tokens RECEIVER or pulled from their SENDER.
-- Keyed by (country_code, party_id, uid, type) with the ids upper-cased (CiStrings compare case-insensitively);
-- `data` is json, not jsonb: it is served as written (the spec's field order, without last_updated, ids in
-- the case the eMSP wrote them) and never queried inside. `last_updated` is the eMSP's own (the object is
-- theirs), `partner_id` the partner that last wrote it (null once that partner row is gone).
CREATE TABLE "tokens" (
    "pk" BIGSERIAL NOT NULL,
    "country_code" VARCHAR(2) NOT NULL,
    "party_id" VARCHAR(3) NOT NULL,
    "uid_key" VARCHAR(36) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "partner_id" UUID,
    "data" JSON NOT NULL,
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "row_version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "tokens_pkey" PRIMARY KEY ("pk")
);

-- uid + type is unique within one eMSP party (digest §3.5.1).
CREATE UNIQUE INDEX "tokens_country_code_party_id_uid_key_type_key" ON "tokens"("country_code", "party_id", "uid_key", "type");
CREATE INDEX "tokens_last_updated_idx" ON "tokens"("last_updated");

ALTER TABLE "tokens" ADD CONSTRAINT "tokens_partner_id_fkey"
    FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE SET NULL ON UPDATE CASCADE;
