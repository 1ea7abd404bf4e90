-- AlterTable: a delivery that must send the whole object whatever the partner acknowledged (resync).
ALTER TABLE "deliveries" ADD COLUMN "full_put" BOOLEAN NOT NULL DEFAULT false;
