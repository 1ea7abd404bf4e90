import { Type, type Static } from '@sinclair/typebox';
import { CiString, DisplayText, Nullable, StringEnum } from '../../ocpi/types';
import { Token, TokenType } from './tokens.schema';

/** Real-time authorization (digest §3.5.2, §3.5.3) and the CSMS's `POST /admin/authorize` (ARCHITECTURE §2). */

const strict = { additionalProperties: false } as const;
const Id = CiString(36, { minLength: 1 });

export const AllowedType = StringEnum(['ALLOWED', 'BLOCKED', 'EXPIRED', 'NO_CREDIT', 'NOT_ALLOWED']);
export type AllowedType = Static<typeof AllowedType>;

/** What we send the eMSP: the location and, optionally, EVSEs the driver wants to charge at. */
export const LocationReferences = Type.Object({ location_id: Id, evse_uids: Type.Optional(Type.Array(Id)) }, strict);
export type LocationReferences = Static<typeof LocationReferences>;

/** The eMSP's answer; optional fields may be absent or null. */
export const AuthorizationInfo = Type.Object({
  allowed: AllowedType,
  token: Token,
  location: Nullable(Type.Object({ location_id: Id, evse_uids: Type.Optional(Type.Union([Type.Array(Id), Type.Null()])) })),
  authorization_reference: Nullable(Id),
  info: Nullable(DisplayText),
});
export type AuthorizationInfo = Static<typeof AuthorizationInfo>;

/** The CSMS's question: may this token charge (here)? `type` RFID when absent; `evse_uids` only with `location_id`. */
export const AuthorizeRequest = Type.Object({
  uid: Id,
  type: Type.Optional(TokenType),
  location_id: Type.Optional(Id),
  evse_uids: Type.Optional(Type.Array(Id, { maxItems: 100 })),
}, strict);
export type AuthorizeRequest = Static<typeof AuthorizeRequest>;

export const DecidedBy = StringEnum(['CACHE', 'REAL_TIME', 'OFFLINE_FALLBACK']);
export type DecidedBy = Static<typeof DecidedBy>;

/** The node's answer to the CSMS: `allowed` is the OCPI AllowedType; the CSMS lets the driver charge only on ALLOWED. */
export const AuthorizeDecision = Type.Object({
  allowed: AllowedType,
  token: Type.Optional(Token),
  authorization_reference: Type.Optional(Id),
  location: Type.Optional(LocationReferences),
  info: Type.Optional(DisplayText),
  decided_by: DecidedBy,
}, strict);
export type AuthorizeDecision = Static<typeof AuthorizeDecision>;
