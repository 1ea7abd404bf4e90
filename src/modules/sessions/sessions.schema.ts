import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { parseDateTime } from '../../ocpi/pagination';
import { CiString, DateTime, OcpiString, StringEnum } from '../../ocpi/types';
import { AuthMethod, CdrToken, ChargingPeriod, Price } from './charging.schema';

/** OCPI 2.2.1 Sessions (digest §3.2). */

const strict = { additionalProperties: false } as const;

export const SessionStatus = StringEnum(['ACTIVE', 'COMPLETED', 'INVALID', 'PENDING', 'RESERVATION']);
export type SessionStatus = Static<typeof SessionStatus>;
export const ProfileType = StringEnum(['CHEAP', 'FAST', 'GREEN', 'REGULAR']);
export type ProfileType = Static<typeof ProfileType>;
export const ChargingPreferencesResponse = StringEnum(['ACCEPTED', 'DEPARTURE_REQUIRED', 'ENERGY_NEED_REQUIRED', 'NOT_POSSIBLE', 'PROFILE_TYPE_NOT_SUPPORTED']);
export type ChargingPreferencesResponse = Static<typeof ChargingPreferencesResponse>;

export const ChargingPreferences = Type.Object({
  profile_type: ProfileType,
  departure_time: Type.Optional(DateTime),
  energy_need: Type.Optional(Type.Number({ minimum: 0 })),
  discharge_allowed: Type.Optional(Type.Boolean()),
}, strict);
export type ChargingPreferences = Static<typeof ChargingPreferences>;

/** `#NA`: no EVSE or connector assigned yet (a reservation, digest §1.13). */
export const NOT_ASSIGNED = '#NA';

/** The Session's own fields in the spec's order (the order they are stored and served in), without its owner. */
const sessionFields = {
  id: CiString(36, { minLength: 1 }),
  start_date_time: DateTime,
  end_date_time: Type.Optional(DateTime),
  kwh: Type.Number({ minimum: 0 }),
  cdr_token: CdrToken,
  auth_method: AuthMethod,
  authorization_reference: Type.Optional(CiString(36, { minLength: 1 })),
  location_id: CiString(36, { minLength: 1 }),
  evse_uid: CiString(36, { minLength: 1 }),
  connector_id: CiString(36, { minLength: 1 }),
  meter_id: Type.Optional(OcpiString(255)),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  charging_periods: Type.Optional(Type.Array(ChargingPeriod)),
  total_cost: Type.Optional(Price),
  status: SessionStatus,
} satisfies TProperties;

export const SESSION_FIELD_ORDER = ['country_code', 'party_id', ...Object.keys(sessionFields), 'last_updated'] as const;

const owner = { country_code: CiString(2, { minLength: 2 }), party_id: CiString(3, { minLength: 3 }) };

export const Session = Type.Object({ ...owner, ...sessionFields, last_updated: DateTime }, strict);
export type Session = Static<typeof Session>;

/** What the operator PUTs through the admin API: the owner and `last_updated` default to ours. */
export const SessionInput = Type.Object({
  country_code: Type.Optional(owner.country_code),
  party_id: Type.Optional(owner.party_id),
  ...sessionFields,
  last_updated: Type.Optional(DateTime),
}, strict);
export type SessionInput = Static<typeof SessionInput>;

/** An admin PATCH: any fields; its `charging_periods` are appended to the stored ones. */
export const SessionPatch = Type.Partial(SessionInput, { minProperties: 1 });
export type SessionPatch = Static<typeof SessionPatch>;

/** Rules of a Session beyond its schema (checked on the state a write would store); messages name the field. */
export function sessionRuleViolations(session: SessionInput): string[] {
  const problems: string[] = [];
  if (session.end_date_time !== undefined && parseDateTime(session.end_date_time) < parseDateTime(session.start_date_time)) {
    problems.push('/end_date_time must not be earlier than /start_date_time');
  }
  if (session.evse_uid === NOT_ASSIGNED && session.connector_id !== NOT_ASSIGNED) {
    problems.push(`/connector_id must be ${NOT_ASSIGNED} when /evse_uid is ${NOT_ASSIGNED}`);
  }
  if (session.status === 'ACTIVE' && (session.evse_uid === NOT_ASSIGNED || session.connector_id === NOT_ASSIGNED)) {
    problems.push(`/evse_uid and /connector_id must name an EVSE and connector (not ${NOT_ASSIGNED}) while the session is ACTIVE`);
  }
  return problems;
}
