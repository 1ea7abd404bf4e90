import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { BusinessDetails, CiString, DateTime, EnergyMix, Image, OcpiString, StrictDisplayText, StringEnum, Url } from '../../ocpi/types';

/** OCPI 2.2.1 Locations (digest §3.1), after the 2026 errata (address 255, state 45; §5.4). */

const strict = { additionalProperties: false } as const;
const Id36 = CiString(36, { minLength: 1 });

// ---- enums (§3.1.7, values case-sensitive) ----

export const EvseStatus = StringEnum(
  ['AVAILABLE', 'BLOCKED', 'CHARGING', 'INOPERATIVE', 'OUTOFORDER', 'PLANNED', 'REMOVED', 'RESERVED', 'UNKNOWN'],
);
export type EvseStatus = Static<typeof EvseStatus>;
export const Capability = StringEnum([
  'CHARGING_PROFILE_CAPABLE', 'CHARGING_PREFERENCES_CAPABLE', 'CHIP_CARD_SUPPORT', 'CONTACTLESS_CARD_SUPPORT',
  'CREDIT_CARD_PAYABLE', 'DEBIT_CARD_PAYABLE', 'PED_TERMINAL', 'REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'RFID_READER',
  'START_SESSION_CONNECTOR_REQUIRED', 'TOKEN_GROUP_CAPABLE', 'UNLOCK_CAPABLE',
]);
export type Capability = Static<typeof Capability>;
export const ConnectorType = StringEnum([
  'CHADEMO', 'CHAOJI', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G',
  'DOMESTIC_H', 'DOMESTIC_I', 'DOMESTIC_J', 'DOMESTIC_K', 'DOMESTIC_L', 'DOMESTIC_M', 'DOMESTIC_N', 'DOMESTIC_O', 'GBT_AC',
  'GBT_DC', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16', 'IEC_60309_2_three_32', 'IEC_60309_2_three_64', 'IEC_62196_T1',
  'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A', 'IEC_62196_T3C', 'NEMA_5_20', 'NEMA_6_30',
  'NEMA_6_50', 'NEMA_10_30', 'NEMA_10_50', 'NEMA_14_30', 'NEMA_14_50', 'PANTOGRAPH_BOTTOM_UP', 'PANTOGRAPH_TOP_DOWN',
  'TESLA_R', 'TESLA_S',
]);
export type ConnectorType = Static<typeof ConnectorType>;
export const ConnectorFormat = StringEnum(['SOCKET', 'CABLE']);
export type ConnectorFormat = Static<typeof ConnectorFormat>;
export const PowerType = StringEnum(['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']);
export type PowerType = Static<typeof PowerType>;
export const ParkingType = StringEnum(
  ['ALONG_MOTORWAY', 'PARKING_GARAGE', 'PARKING_LOT', 'ON_DRIVEWAY', 'ON_STREET', 'UNDERGROUND_GARAGE'],
);
export type ParkingType = Static<typeof ParkingType>;
export const ParkingRestriction = StringEnum(['EV_ONLY', 'PLUGGED', 'DISABLED', 'CUSTOMERS', 'MOTORCYCLES']);
export type ParkingRestriction = Static<typeof ParkingRestriction>;
export const Facility = StringEnum([
  'HOTEL', 'RESTAURANT', 'CAFE', 'MALL', 'SUPERMARKET', 'SPORT', 'RECREATION_AREA', 'NATURE', 'MUSEUM', 'BIKE_SHARING',
  'BUS_STOP', 'TAXI_STAND', 'TRAM_STOP', 'METRO_STATION', 'TRAIN_STATION', 'AIRPORT', 'PARKING_LOT', 'CARPOOL_PARKING',
  'FUEL_STATION', 'WIFI',
]);
export type Facility = Static<typeof Facility>;
export const TokenType = StringEnum(['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID']);
export type TokenType = Static<typeof TokenType>;

// ---- data types (§3.1.6), all strict: unknown fields are refused ----

const StrictImage = Type.Object(Image.properties, strict);
const StrictBusinessDetails = Type.Object({ ...BusinessDetails.properties, logo: Type.Optional(StrictImage) }, strict);

/** Strings, not numbers (§6.19). Both the declared string(10)/string(11) and the regex apply. */
const Latitude = Type.String({ maxLength: 10, pattern: '^-?[0-9]{1,2}\\.[0-9]{5,7}$' });
const Longitude = Type.String({ maxLength: 11, pattern: '^-?[0-9]{1,3}\\.[0-9]{5,7}$' });
const LocalTime = Type.String({ pattern: '^([0-1][0-9]|2[0-3]):[0-5][0-9]$' });

export const GeoLocation = Type.Object({ latitude: Latitude, longitude: Longitude }, strict);
export type GeoLocation = Static<typeof GeoLocation>;
export const AdditionalGeoLocation = Type.Object(
  { latitude: Latitude, longitude: Longitude, name: Type.Optional(StrictDisplayText) }, strict,
);
export type AdditionalGeoLocation = Static<typeof AdditionalGeoLocation>;

export const ExceptionalPeriod = Type.Object({ period_begin: DateTime, period_end: DateTime }, strict);
export type ExceptionalPeriod = Static<typeof ExceptionalPeriod>;
export const RegularHours = Type.Object(
  { weekday: Type.Integer({ minimum: 1, maximum: 7 }), period_begin: LocalTime, period_end: LocalTime }, strict,
);
export type RegularHours = Static<typeof RegularHours>;
/** `regular_hours` against `twentyfourseven` is checked by {@link locationRuleViolations}. */
export const Hours = Type.Object({
  twentyfourseven: Type.Boolean(),
  regular_hours: Type.Optional(Type.Array(RegularHours)),
  exceptional_openings: Type.Optional(Type.Array(ExceptionalPeriod)),
  exceptional_closings: Type.Optional(Type.Array(ExceptionalPeriod)),
}, strict);
export type Hours = Static<typeof Hours>;

/** "At least one of / implies" rules are checked by {@link locationRuleViolations}. */
export const PublishTokenType = Type.Object({
  uid: Type.Optional(Id36),
  type: Type.Optional(TokenType),
  visual_number: Type.Optional(OcpiString(64, { minLength: 1 })),
  issuer: Type.Optional(OcpiString(64, { minLength: 1 })),
  group_id: Type.Optional(Id36),
}, strict);
export type PublishTokenType = Static<typeof PublishTokenType>;

export const StatusSchedule = Type.Object(
  { period_begin: DateTime, period_end: Type.Optional(DateTime), status: EvseStatus }, strict,
);
export type StatusSchedule = Static<typeof StatusSchedule>;

// ---- Connector, EVSE, Location: each field map is written once, then served (last_updated required) or input ----

const served = { last_updated: DateTime };
const input = { last_updated: Type.Optional(DateTime) };

const connectorFields = {
  id: Id36,
  standard: ConnectorType,
  format: ConnectorFormat,
  power_type: PowerType,
  max_voltage: Type.Integer({ minimum: 0 }),
  max_amperage: Type.Integer({ minimum: 0 }),
  max_electric_power: Type.Optional(Type.Integer({ minimum: 0 })),
  tariff_ids: Type.Optional(Type.Array(Id36)),
  terms_and_conditions: Type.Optional(Url),
} satisfies TProperties;

const evseFields = {
  uid: Id36,
  evse_id: Type.Optional(CiString(48, { minLength: 1 })),
  status: EvseStatus,
  status_schedule: Type.Optional(Type.Array(StatusSchedule)),
  capabilities: Type.Optional(Type.Array(Capability)),
  floor_level: Type.Optional(OcpiString(4)),
  coordinates: Type.Optional(GeoLocation),
  physical_reference: Type.Optional(OcpiString(16)),
  directions: Type.Optional(Type.Array(StrictDisplayText)),
  parking_restrictions: Type.Optional(Type.Array(ParkingRestriction)),
  images: Type.Optional(Type.Array(StrictImage)),
} satisfies TProperties;

const locationOwner = { country_code: CiString(2, { minLength: 2 }), party_id: CiString(3, { minLength: 3 }) };

const locationFields = {
  id: Id36,
  publish: Type.Boolean(),
  publish_allowed_to: Type.Optional(Type.Array(PublishTokenType)),
  name: Type.Optional(OcpiString(255)),
  address: OcpiString(255, { minLength: 1 }),
  city: OcpiString(45, { minLength: 1 }),
  postal_code: Type.Optional(OcpiString(10)),
  state: Type.Optional(OcpiString(45)),
  country: Type.String({ pattern: '^[A-Z]{3}$' }),
  coordinates: GeoLocation,
  related_locations: Type.Optional(Type.Array(AdditionalGeoLocation)),
  parking_type: Type.Optional(ParkingType),
  directions: Type.Optional(Type.Array(StrictDisplayText)),
  operator: Type.Optional(StrictBusinessDetails),
  suboperator: Type.Optional(StrictBusinessDetails),
  owner: Type.Optional(StrictBusinessDetails),
  facilities: Type.Optional(Type.Array(Facility)),
  time_zone: OcpiString(255, { minLength: 1 }),
  opening_times: Type.Optional(Hours),
  charging_when_closed: Type.Optional(Type.Boolean()),
  images: Type.Optional(Type.Array(StrictImage)),
  energy_mix: Type.Optional(EnergyMix),
} satisfies TProperties;

export const Connector = Type.Object({ ...connectorFields, ...served }, strict);
export type Connector = Static<typeof Connector>;
export const Evse = Type.Object(
  { ...evseFields, connectors: Type.Array(Connector, { minItems: 1 }), ...served }, strict,
);
export type Evse = Static<typeof Evse>;
export const Location = Type.Object(
  { ...locationOwner, ...locationFields, evses: Type.Optional(Type.Array(Evse)), ...served }, strict,
);
export type Location = Static<typeof Location>;

/** What the operator PUTs through the admin API: `last_updated` (and the owner of a Location) default to ours. */
export const ConnectorInput = Type.Object({ ...connectorFields, ...input }, strict);
export type ConnectorInput = Static<typeof ConnectorInput>;
export const EvseInput = Type.Object(
  { ...evseFields, connectors: Type.Array(ConnectorInput, { minItems: 1 }), ...input }, strict,
);
export type EvseInput = Static<typeof EvseInput>;
export const LocationInput = Type.Object({
  country_code: Type.Optional(locationOwner.country_code),
  party_id: Type.Optional(locationOwner.party_id),
  ...locationFields,
  evses: Type.Optional(Type.Array(EvseInput)),
  ...input,
}, strict);
export type LocationInput = Static<typeof LocationInput>;

/** Admin PATCH bodies: any non-empty subset of an object's own fields; children change on their own URLs. */
export const ConnectorPatch = Type.Partial(ConnectorInput, { minProperties: 1 });
export type ConnectorPatch = Static<typeof ConnectorPatch>;
export const EvsePatch = Type.Partial(Type.Omit(EvseInput, ['connectors']), { minProperties: 1 });
export type EvsePatch = Static<typeof EvsePatch>;
export const LocationPatch = Type.Partial(Type.Omit(LocationInput, ['evses']), { minProperties: 1 });
export type LocationPatch = Static<typeof LocationPatch>;

// ---- cross-field rules JSON schema cannot say simply (run after the schema check) ----

const isSet = (value: unknown): boolean => value !== undefined && value !== null;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** PublishTokenType: one of uid/visual_number/group_id; uid ⇒ type; visual_number ⇒ issuer. */
export function publishTokenViolations(token: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  if (!isSet(token.uid) && !isSet(token.visual_number) && !isSet(token.group_id)) {
    problems.push(`${path} needs at least one of uid, visual_number, group_id`);
  }
  if (isSet(token.uid) && !isSet(token.type)) problems.push(`${path}/type is required when uid is set`);
  if (isSet(token.visual_number) && !isSet(token.issuer)) problems.push(`${path}/issuer is required when visual_number is set`);
  return problems;
}

/** Hours: regular_hours exactly when not twentyfourseven; each period_end later than its period_begin. */
export function hoursViolations(hours: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  const regular: unknown[] = Array.isArray(hours.regular_hours) ? hours.regular_hours : [];
  if (hours.twentyfourseven === false && regular.length === 0) {
    problems.push(`${path}/regular_hours needs at least one entry when twentyfourseven is false`);
  }
  if (hours.twentyfourseven === true && regular.length > 0) {
    problems.push(`${path}/regular_hours is only allowed when twentyfourseven is false`);
  }
  regular.forEach((period, index) => {
    if (!isRecord(period)) return;
    const { period_begin: begin, period_end: end } = period;
    if (typeof begin === 'string' && typeof end === 'string' && end <= begin) {
      problems.push(`${path}/regular_hours/${index}/period_end must be later than period_begin`);
    }
  });
  return problems;
}

/**
 * Rules of a Location (or a PATCH merged onto one) beyond its schema: publish_allowed_to only with publish=false
 * (an empty list counts as not set), PublishTokenType and Hours rules. Returns messages naming the field.
 */
export function locationRuleViolations(location: {
  publish?: boolean;
  publish_allowed_to?: unknown[];
  opening_times?: unknown;
}): string[] {
  const tokens = location.publish_allowed_to ?? [];
  const problems: string[] = [];
  if (location.publish === true && tokens.length > 0) {
    problems.push('/publish_allowed_to is only allowed when publish is false');
  }
  tokens.forEach((token, index) => {
    if (isRecord(token)) problems.push(...publishTokenViolations(token, `/publish_allowed_to/${index}`));
  });
  if (isRecord(location.opening_times)) problems.push(...hoursViolations(location.opening_times, '/opening_times'));
  return problems;
}
