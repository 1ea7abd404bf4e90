-- CreateTable
CREATE TABLE "locations" (
    "pk" BIGSERIAL NOT NULL,
    "country_code" VARCHAR(2) NOT NULL,
    "party_id" VARCHAR(3) NOT NULL,
    "id" VARCHAR(36) NOT NULL,
    "id_key" VARCHAR(36) NOT NULL,
    "publish" BOOLEAN NOT NULL,
    "data" JSONB NOT NULL,
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "row_version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "locations_pkey" PRIMARY KEY ("pk")
);

-- CreateTable
CREATE TABLE "evses" (
    "pk" BIGSERIAL NOT NULL,
    "location_pk" BIGINT NOT NULL,
    "uid" VARCHAR(36) NOT NULL,
    "uid_key" VARCHAR(36) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "data" JSONB NOT NULL,
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "row_version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "evses_pkey" PRIMARY KEY ("pk")
);

-- CreateTable
CREATE TABLE "connectors" (
    "pk" BIGSERIAL NOT NULL,
    "evse_pk" BIGINT NOT NULL,
    "id" VARCHAR(36) NOT NULL,
    "id_key" VARCHAR(36) NOT NULL,
    "data" JSONB NOT NULL,
    "last_updated" TIMESTAMPTZ(3) NOT NULL,
    "row_version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "connectors_pkey" PRIMARY KEY ("pk")
);

-- CreateIndex
CREATE UNIQUE INDEX "locations_country_code_party_id_id_key_key" ON "locations"("country_code", "party_id", "id_key");

-- CreateIndex
CREATE INDEX "locations_last_updated_idx" ON "locations"("last_updated");

-- CreateIndex
CREATE INDEX "locations_publish_pk_idx" ON "locations"("publish", "pk");

-- CreateIndex
CREATE UNIQUE INDEX "evses_uid_key_key" ON "evses"("uid_key");

-- CreateIndex
CREATE INDEX "evses_location_pk_idx" ON "evses"("location_pk");

-- CreateIndex
CREATE UNIQUE INDEX "connectors_evse_pk_id_key_key" ON "connectors"("evse_pk", "id_key");

-- AddForeignKey
ALTER TABLE "evses" ADD CONSTRAINT "evses_location_pk_fkey" FOREIGN KEY ("location_pk") REFERENCES "locations"("pk") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_evse_pk_fkey" FOREIGN KEY ("evse_pk") REFERENCES "evses"("pk") ON DELETE CASCADE ON UPDATE CASCADE;
