-- Real-time authorization (digest §3.5.2): a token is looked up by uid and type across eMSP parties.
CREATE INDEX "tokens_uid_key_type_idx" ON "tokens"("uid_key", "type");

-- CreateTable: the authorization_reference an eMSP returned when it allowed a token at a location, kept so a
-- session for that token there carries it (digest §3.5.2 "persist authorization_reference and copy it into
-- the Session/CDR"). One row per token and location, the latest answer wins; `location_key` is '' when the
-- CSMS asked without a location (such a reference applies to any location). Ids upper-cased (CiStrings).
CREATE TABLE "authorizations" (
    "country_code" VARCHAR(2) NOT NULL,
    "party_id" VARCHAR(3) NOT NULL,
    "uid_key" VARCHAR(36) NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "location_key" VARCHAR(36) NOT NULL,
    "reference" VARCHAR(36) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "authorizations_pkey" PRIMARY KEY ("country_code", "party_id", "uid_key", "type", "location_key")
);
