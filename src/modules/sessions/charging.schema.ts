import { Type, type Static } from '@sinclair/typebox';
import { CiString, DateTime, StringEnum } from '../../ocpi/types';
import { TokenType } from '../locations/locations.schema';
import { Price } from '../tariffs/tariffs.schema';

/** OCPI 2.2.1 classes Sessions and CDRs share (digest §3.3.4–3.3.6); the CDRs module imports them from here. */

export { Price, TokenType };

const strict = { additionalProperties: false } as const;

export const AuthMethod = StringEnum(['AUTH_REQUEST', 'COMMAND', 'WHITELIST']);
export type AuthMethod = Static<typeof AuthMethod>;

export const CdrDimensionType = StringEnum([
  'CURRENT', 'ENERGY', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'MAX_CURRENT', 'MIN_CURRENT', 'MAX_POWER', 'MIN_POWER',
  'PARKING_TIME', 'POWER', 'RESERVATION_TIME', 'STATE_OF_CHARGE', 'TIME',
]);
export type CdrDimensionType = Static<typeof CdrDimensionType>;

/** Dimensions that may appear in a Session only, never in a CDR (digest §3.3.6, column "S"). */
export const SESSION_ONLY_DIMENSIONS: readonly CdrDimensionType[] = ['CURRENT', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'POWER', 'STATE_OF_CHARGE'];

export const CdrDimension = Type.Object({ type: CdrDimensionType, volume: Type.Number() }, strict);
export type CdrDimension = Static<typeof CdrDimension>;

export const ChargingPeriod = Type.Object({
  start_date_time: DateTime,
  dimensions: Type.Array(CdrDimension, { minItems: 1 }),
  tariff_id: Type.Optional(CiString(36, { minLength: 1 })),
}, strict);
export type ChargingPeriod = Static<typeof ChargingPeriod>;

export const CdrToken = Type.Object({
  country_code: CiString(2, { minLength: 2 }),
  party_id: CiString(3, { minLength: 3 }),
  uid: CiString(36, { minLength: 1 }),
  type: TokenType,
  contract_id: CiString(36, { minLength: 1 }),
}, strict);
export type CdrToken = Static<typeof CdrToken>;
