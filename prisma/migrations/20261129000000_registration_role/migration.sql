-- A registration token (token A, or our token B while we register with a partner) now carries the role
-- its party will hold, like every partner token; "registration" is derived from the partner not being
-- REGISTERED, never stored. Tokens stored as REGISTRATION were only ever issued for eMSPs: they become EMSP.
UPDATE "access_tokens" SET "role" = 'EMSP' WHERE "role" = 'REGISTRATION';

-- AlterEnum: PostgreSQL cannot drop an enum value, so the type is recreated without it.
CREATE TYPE "TokenRole_new" AS ENUM ('ADMIN', 'CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP');
ALTER TABLE "access_tokens" ALTER COLUMN "role" TYPE "TokenRole_new" USING ("role"::text::"TokenRole_new");
ALTER TYPE "TokenRole" RENAME TO "TokenRole_old";
ALTER TYPE "TokenRole_new" RENAME TO "TokenRole";
DROP TYPE "TokenRole_old";
