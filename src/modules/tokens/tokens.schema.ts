import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { CiString, DateTime, Nullable, OcpiString, StringEnum } from '../../ocpi/types';

/** OCPI 2.2.1 Tokens (digest §3.5). */

const strict = { additionalProperties: false } as const;

// ---- enums (§3.5.4 and §3.2.5, values case-sensitive) ----

export const TokenType = StringEnum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']);
export type TokenType = Static<typeof TokenType>;
export const WhitelistType = StringEnum(['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER']);
export const ProfileType = StringEnum(['CHEAP', 'FAST', 'GREEN', 'REGULAR']);

/** The receiver's `type` query parameter defaults to RFID (digest §3.5.1). */
export const DEFAULT_TOKEN_TYPE: TokenType = 'RFID';

// ---- classes (§3.5.3) ----

export const EnergyContract = Type.Object({
  supplier_name: OcpiString(64, { minLength: 1 }),
  contract_id: Nullable(OcpiString(64)),
}, strict);

/** The required fields of a Token, in the spec's order. */
const required = {
  country_code: CiString(2, { minLength: 2 }),
  party_id: CiString(3, { minLength: 3 }),
  uid: CiString(36, { minLength: 1 }),
  type: TokenType,
  contract_id: CiString(36, { minLength: 1 }),
} satisfies TProperties;

/** Every field of a Token in the spec's order (the order it is stored and served in). */
export const TOKEN_FIELD_ORDER = [
  'country_code', 'party_id', 'uid', 'type', 'contract_id', 'visual_number', 'issuer', 'group_id', 'valid', 'whitelist',
  'language', 'default_profile_type', 'energy_contract', 'last_updated',
] as const;

/** The Token as PUT, pulled and served; optional fields may be absent or null (both: not set). */
export const Token = Type.Object({
  ...required,
  visual_number: Nullable(OcpiString(64)),
  issuer: OcpiString(64, { minLength: 1 }),
  group_id: Nullable(CiString(36, { minLength: 1 })),
  valid: Type.Boolean(),
  whitelist: WhitelistType,
  language: Nullable(OcpiString(2, { minLength: 2 })),
  default_profile_type: Nullable(ProfileType),
  energy_contract: Nullable(EnergyContract),
  last_updated: DateTime,
}, strict);
export type Token = Static<typeof Token>;

/**
 * A PATCH: any of the Token's fields, `last_updated` required (digest §1.5). A PATCH cannot remove data
 * (use PUT), so null is refused here.
 */
export const TokenPatch = Type.Object({
  country_code: Type.Optional(required.country_code),
  party_id: Type.Optional(required.party_id),
  uid: Type.Optional(required.uid),
  type: Type.Optional(TokenType),
  contract_id: Type.Optional(required.contract_id),
  visual_number: Type.Optional(OcpiString(64)),
  issuer: Type.Optional(OcpiString(64, { minLength: 1 })),
  group_id: Type.Optional(CiString(36, { minLength: 1 })),
  valid: Type.Optional(Type.Boolean()),
  whitelist: Type.Optional(WhitelistType),
  language: Type.Optional(OcpiString(2, { minLength: 2 })),
  default_profile_type: Type.Optional(ProfileType),
  energy_contract: Type.Optional(EnergyContract),
  last_updated: DateTime,
}, strict);
export type TokenPatch = Static<typeof TokenPatch>;

/** The receiver's query: `type`, RFID when absent. */
export const TokenQuery = Type.Object({ type: Type.Optional(TokenType) });

/** What a pull of a partner's sender list answers: `{ fetched, stored }`. */
export const TokenPullResult = Type.Object({ fetched: Type.Integer({ minimum: 0 }), stored: Type.Integer({ minimum: 0 }) }, strict);
export type TokenPullResult = Static<typeof TokenPullResult>;
