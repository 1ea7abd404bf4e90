import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { CiString, DateTime, OcpiString } from '../../ocpi/types';
import { ConnectorFormat, ConnectorType, GeoLocation, PowerType } from '../locations/locations.schema';
import { Tariff } from '../tariffs/tariffs.schema';
import { AuthMethod, CdrToken, ChargingPeriod } from '../sessions/charging.schema';

/** OCPI 2.2.1 CDRs (digest §3.3). The rules the schema cannot say are in cdrs.rules.ts. */

const strict = { additionalProperties: false } as const;

export const CdrLocation = Type.Object({
  id: CiString(36, { minLength: 1 }),
  name: Type.Optional(OcpiString(255)),
  address: OcpiString(45),
  city: OcpiString(45),
  postal_code: Type.Optional(OcpiString(10)),
  state: Type.Optional(OcpiString(20)),
  country: Type.String({ pattern: '^[A-Z]{3}$' }),
  coordinates: GeoLocation,
  evse_uid: CiString(36, { minLength: 1 }),
  evse_id: CiString(48, { minLength: 1 }),
  connector_id: CiString(36, { minLength: 1 }),
  connector_standard: ConnectorType,
  connector_format: ConnectorFormat,
  connector_power_type: PowerType,
}, strict);
export type CdrLocation = Static<typeof CdrLocation>;

export const SignedValue = Type.Object({
  nature: CiString(32, { minLength: 1 }),
  plain_data: OcpiString(5000),
  signed_data: OcpiString(5000),
}, strict);
export type SignedValue = Static<typeof SignedValue>;

export const SignedData = Type.Object({
  encoding_method: CiString(36, { minLength: 1 }),
  encoding_method_version: Type.Optional(Type.Integer()),
  public_key: Type.Optional(OcpiString(512)),
  signed_values: Type.Array(SignedValue, { minItems: 1 }),
  url: Type.Optional(OcpiString(512)),
}, strict);
export type SignedData = Static<typeof SignedData>;

/**
 * A CDR's money: unlike a tariff's Price, its amounts may be negative (a credit CDR negates the
 * original's, digest §3.3.3); the sign is a rule (cdrs.rules.ts).
 */
export const CdrPrice = Type.Object({ excl_vat: Type.Number(), incl_vat: Type.Optional(Type.Number()) }, strict);
export type CdrPrice = Static<typeof CdrPrice>;

/** The CDR's own fields in the spec's order (the order they are stored and served in), without its owner. */
const cdrFields = {
  id: CiString(39, { minLength: 1 }),
  start_date_time: DateTime,
  end_date_time: DateTime,
  session_id: Type.Optional(CiString(36, { minLength: 1 })),
  cdr_token: CdrToken,
  auth_method: AuthMethod,
  authorization_reference: Type.Optional(CiString(36, { minLength: 1 })),
  cdr_location: CdrLocation,
  meter_id: Type.Optional(OcpiString(255)),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  tariffs: Type.Optional(Type.Array(Tariff)),
  charging_periods: Type.Array(ChargingPeriod, { minItems: 1 }),
  signed_data: Type.Optional(SignedData),
  total_cost: CdrPrice,
  total_fixed_cost: Type.Optional(CdrPrice),
  total_energy: Type.Number(),
  total_energy_cost: Type.Optional(CdrPrice),
  total_time: Type.Number(),
  total_time_cost: Type.Optional(CdrPrice),
  total_parking_time: Type.Optional(Type.Number()),
  total_parking_cost: Type.Optional(CdrPrice),
  total_reservation_cost: Type.Optional(CdrPrice),
  remark: Type.Optional(OcpiString(255)),
  invoice_reference_id: Type.Optional(CiString(39, { minLength: 1 })),
  credit: Type.Optional(Type.Boolean()),
  credit_reference_id: Type.Optional(CiString(39, { minLength: 1 })),
  home_charging_compensation: Type.Optional(Type.Boolean()),
} satisfies TProperties;

export const CDR_FIELD_ORDER = ['country_code', 'party_id', ...Object.keys(cdrFields), 'last_updated'] as const;

/** The price fields of a CDR, whose amounts are all of one sign (cdrs.rules.ts). */
export const CDR_PRICE_FIELDS = [
  'total_cost', 'total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost',
] as const;

const owner = { country_code: CiString(2, { minLength: 2 }), party_id: CiString(3, { minLength: 3 }) };

export const Cdr = Type.Object({ ...owner, ...cdrFields, last_updated: DateTime }, strict);
export type Cdr = Static<typeof Cdr>;

/**
 * What the operator POSTs through the admin API: the owner defaults to ours; a given `last_updated` is
 * accepted and ignored, the node's creation time is the CDR's `last_updated` (digest §3.3.1).
 */
export const CdrInput = Type.Object({
  country_code: Type.Optional(owner.country_code),
  party_id: Type.Optional(owner.party_id),
  ...cdrFields,
  last_updated: Type.Optional(DateTime),
}, strict);
export type CdrInput = Static<typeof CdrInput>;
