-- What a session's CDR shows as it was at the session's start (modules/sessions/session-seal.ts): the
-- CdrLocation of its EVSE and connector and the tariffs its connector named, taken when the session
-- first named them. json: written and read whole.
ALTER TABLE "sessions" ADD COLUMN "sealed" JSON;
