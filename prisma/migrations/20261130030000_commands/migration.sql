-- CreateTable: the commands eMSPs sent to our Commands RECEIVER (digest §3.6). `request` is the body as
-- received (response_url included: the CommandResult goes there); `status` the CommandResponseType we
-- answered once the CSMS had taken it (ACCEPTED, or REJECTED when the webhook refused it); `result` the
-- CommandResultType, null until the CSMS reports it or `deadline` (accepted_at + COMMAND_TIMEOUT_S) passes.
CREATE TABLE "commands" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "command" VARCHAR(32) NOT NULL,
    "request" JSON NOT NULL,
    "location_id" VARCHAR(36),
    "evse_uid" VARCHAR(36),
    "connector_id" VARCHAR(36),
    "reservation_id" UUID,
    "status" VARCHAR(16) NOT NULL,
    "result" VARCHAR(32),
    "result_message" JSON,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "result_at" TIMESTAMPTZ(3),

    CONSTRAINT "commands_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "commands" ADD CONSTRAINT "commands_partner_id_fkey"
    FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable: an eMSP's reservation_id mapped to one of ours (digest §3.6.5: never passed to the charger
-- as is, so one eMSP cannot cancel or replace another's reservation). The eMSP's id is a CiString,
-- upper-cased here; the same id again (a replacing RESERVE_NOW) maps to the same id of ours.
CREATE TABLE "command_reservations" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "emsp_reservation_key" VARCHAR(36) NOT NULL,
    "location_id" VARCHAR(36) NOT NULL,
    "evse_uid" VARCHAR(36),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "command_reservations_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "command_reservations_partner_id_emsp_reservation_key_key" ON "command_reservations"("partner_id", "emsp_reservation_key");

ALTER TABLE "command_reservations" ADD CONSTRAINT "command_reservations_partner_id_fkey"
    FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE CASCADE ON UPDATE CASCADE;
