-- AlterTable: acknowledged snapshots are only ever written and read back whole, never queried inside;
-- json keeps the text as given (validated, not converted), which made jsonb's parse the largest cost
-- of recording a delivery and its conversion back to text a cost of reading one.
ALTER TABLE "partner_objects" ALTER COLUMN "snapshot" SET DATA TYPE JSON USING "snapshot"::json;
