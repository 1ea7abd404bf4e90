import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { parseDateTime } from '../../ocpi/pagination';
import { CiString, DateTime, EnergyMix, StrictDisplayText, StringEnum, Url } from '../../ocpi/types';

/** OCPI 2.2.1 Tariffs (digest §3.4). */

const strict = { additionalProperties: false } as const;

// ---- enums (§3.4.4, values case-sensitive) ----

export const DayOfWeek = StringEnum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']);
export const ReservationRestrictionType = StringEnum(['RESERVATION', 'RESERVATION_EXPIRES']);
export const TariffDimensionType = StringEnum(['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME']);
export type TariffDimensionType = Static<typeof TariffDimensionType>;
export const TariffType = StringEnum(['AD_HOC_PAYMENT', 'PROFILE_CHEAP', 'PROFILE_FAST', 'PROFILE_GREEN', 'REGULAR']);

// ---- classes (§3.4.3) ----

/** Local time `HH:MM` and local date `YYYY-MM-DD`, with the spec's own regexes. */
const LocalTime = Type.String({ maxLength: 5, pattern: '^([0-1][0-9]|2[0-3]):[0-5][0-9]$' });
const LocalDate = Type.String({ maxLength: 10, pattern: '^([12][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' });
const Amount = Type.Number({ minimum: 0 });

export const Price = Type.Object({ excl_vat: Amount, incl_vat: Type.Optional(Amount) }, strict);
export type Price = Static<typeof Price>;

export const PriceComponent = Type.Object({
  type: TariffDimensionType,
  price: Amount,
  vat: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  step_size: Type.Integer({ minimum: 0 }),
}, strict);
export type PriceComponent = Static<typeof PriceComponent>;

export const TariffRestrictions = Type.Object({
  start_time: Type.Optional(LocalTime),
  end_time: Type.Optional(LocalTime),
  start_date: Type.Optional(LocalDate),
  end_date: Type.Optional(LocalDate),
  min_kwh: Type.Optional(Amount),
  max_kwh: Type.Optional(Amount),
  min_current: Type.Optional(Amount),
  max_current: Type.Optional(Amount),
  min_power: Type.Optional(Amount),
  max_power: Type.Optional(Amount),
  min_duration: Type.Optional(Type.Integer({ minimum: 0 })),
  max_duration: Type.Optional(Type.Integer({ minimum: 0 })),
  day_of_week: Type.Optional(Type.Array(DayOfWeek, { uniqueItems: true })),
  reservation: Type.Optional(ReservationRestrictionType),
}, strict);
export type TariffRestrictions = Static<typeof TariffRestrictions>;

export const TariffElement = Type.Object({
  price_components: Type.Array(PriceComponent, { minItems: 1 }),
  restrictions: Type.Optional(TariffRestrictions),
}, strict);
export type TariffElement = Static<typeof TariffElement>;

/** The Tariff's own fields in the spec's order (the order they are stored and served in), without its owner. */
const tariffFields = {
  id: CiString(36, { minLength: 1 }),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  type: Type.Optional(TariffType),
  tariff_alt_text: Type.Optional(Type.Array(StrictDisplayText)),
  tariff_alt_url: Type.Optional(Url),
  min_price: Type.Optional(Price),
  max_price: Type.Optional(Price),
  elements: Type.Array(TariffElement, { minItems: 1 }),
  start_date_time: Type.Optional(DateTime),
  end_date_time: Type.Optional(DateTime),
  energy_mix: Type.Optional(EnergyMix),
} satisfies TProperties;

export const TARIFF_FIELD_ORDER = ['country_code', 'party_id', ...Object.keys(tariffFields), 'last_updated'] as const;

const owner = { country_code: CiString(2, { minLength: 2 }), party_id: CiString(3, { minLength: 3 }) };

export const Tariff = Type.Object({ ...owner, ...tariffFields, last_updated: DateTime }, strict);
export type Tariff = Static<typeof Tariff>;

/** What the operator PUTs through the admin API: the owner and `last_updated` default to ours. */
export const TariffInput = Type.Object({
  country_code: Type.Optional(owner.country_code),
  party_id: Type.Optional(owner.party_id),
  ...tariffFields,
  last_updated: Type.Optional(DateTime),
}, strict);
export type TariffInput = Static<typeof TariffInput>;

// ---- rules JSON schema cannot say (run after the schema check), each message naming the field ----

const RESERVATION_DIMENSIONS: readonly string[] = ['FLAT', 'TIME'];

/** A date the pattern admits but the calendar does not (2027-02-30). */
function notACalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value;
}

function restrictionViolations(restrictions: TariffRestrictions, components: PriceComponent[], path: string): string[] {
  const problems: string[] = [];
  for (const field of ['start_date', 'end_date'] as const) {
    const value = restrictions[field];
    if (value !== undefined && notACalendarDate(value)) problems.push(`${path}/${field} must be a calendar date`);
  }
  if (restrictions.reservation !== undefined) {
    components.forEach((component, index) => {
      if (!RESERVATION_DIMENSIONS.includes(component.type)) {
        problems.push(`${path}/reservation allows only FLAT and TIME price components, not ${component.type} (price_components/${index})`);
      }
    });
  }
  return problems;
}

function priceViolations(min: Price | undefined, max: Price | undefined): string[] {
  if (!min || !max) return [];
  const problems: string[] = [];
  if (min.excl_vat > max.excl_vat) problems.push('/min_price/excl_vat must not be above /max_price/excl_vat');
  if (min.incl_vat !== undefined && max.incl_vat !== undefined && min.incl_vat > max.incl_vat) {
    problems.push('/min_price/incl_vat must not be above /max_price/incl_vat');
  }
  return problems;
}

/** Rules of a Tariff beyond its schema; returns messages naming the field. */
export function tariffRuleViolations(tariff: TariffInput): string[] {
  const problems = priceViolations(tariff.min_price, tariff.max_price);
  tariff.elements.forEach((element, index) => {
    if (element.restrictions) problems.push(...restrictionViolations(element.restrictions, element.price_components, `/elements/${index}/restrictions`));
  });
  const { start_date_time: start, end_date_time: end } = tariff;
  if (start !== undefined && end !== undefined && parseDateTime(end).getTime() <= parseDateTime(start).getTime()) {
    problems.push('/end_date_time must be later than /start_date_time');
  }
  return problems;
}
