-- CreateTable: `data` is json, not jsonb: it is served as written (the spec's field order) and never queried inside.
CREATE TABLE "tariffs" (
    "pk" BIGSERIAL NOT NULL,
    "country_code" VARCHAR(2) NOT NULL,
    "party_id" VARCHAR(3) NOT NULL,
    "id" VARCHAR(36) NOT NULL,
    "id_key" VARCHAR(36) NOT NULL,
    "data" JSON NOT NULL,
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "row_version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "tariffs_pkey" PRIMARY KEY ("pk")
);

-- Connectors name tariffs by id alone (OCPI: unique within the CPO platform).
CREATE UNIQUE INDEX "tariffs_id_key_key" ON "tariffs"("id_key");
CREATE INDEX "tariffs_last_updated_idx" ON "tariffs"("last_updated");

-- CreateTable: which tariffs each connector's tariff_ids names, kept by the trigger below.
CREATE TABLE "connector_tariffs" (
    "connector_pk" BIGINT NOT NULL,
    "tariff_key" VARCHAR(36) NOT NULL,

    CONSTRAINT "connector_tariffs_pkey" PRIMARY KEY ("connector_pk", "tariff_key")
);

CREATE INDEX "connector_tariffs_tariff_key_idx" ON "connector_tariffs"("tariff_key");

ALTER TABLE "connector_tariffs" ADD CONSTRAINT "connector_tariffs_connector_pk_fkey"
    FOREIGN KEY ("connector_pk") REFERENCES "connectors"("pk") ON DELETE CASCADE ON UPDATE CASCADE;
-- A connector cannot name a tariff that does not exist, and a tariff a connector names cannot be
-- deleted, whichever of two concurrent writes commits first. NO ACTION rather than RESTRICT: both refuse
-- the delete, but PostgreSQL 17 (the embedded database) reports RESTRICT as 23001, NO ACTION everywhere
-- as 23503, the foreign_key_violation the node maps.
ALTER TABLE "connector_tariffs" ADD CONSTRAINT "connector_tariffs_tariff_key_fkey"
    FOREIGN KEY ("tariff_key") REFERENCES "tariffs"("id_key") ON DELETE NO ACTION ON UPDATE CASCADE;

-- Every write path of connectors (single statements and transactions alike) keeps connector_tariffs
-- in step with data->'tariff_ids', ids upper-cased as OCPI ids are case-insensitive. Connectors stored
-- before this migration are not back-filled: no tariff existed for them to name.
CREATE FUNCTION "connector_tariffs_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.data->'tariff_ids' IS NOT DISTINCT FROM OLD.data->'tariff_ids' THEN
            RETURN NULL;
        END IF;
        DELETE FROM connector_tariffs WHERE connector_pk = NEW.pk;
    END IF;
    IF jsonb_typeof(NEW.data->'tariff_ids') = 'array' THEN
        INSERT INTO connector_tariffs (connector_pk, tariff_key)
        SELECT DISTINCT NEW.pk, upper(t) FROM jsonb_array_elements_text(NEW.data->'tariff_ids') AS t;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "connectors_tariff_ids" AFTER INSERT OR UPDATE OF "data" ON "connectors"
    FOR EACH ROW EXECUTE FUNCTION "connector_tariffs_sync"();
