import type { PriceComponent, TariffElement, TariffRestrictions } from '../modules/tariffs/tariffs.schema';
import { Decimal } from './decimal';
import { DAY_MS, dayNumberOf, msOfDayOf, type LocalMoment } from './local-time';

export type PricedDimension = 'FLAT' | 'ENERGY' | 'TIME' | 'PARKING_TIME';
export const PRICED_DIMENSIONS: readonly PricedDimension[] = ['FLAT', 'ENERGY', 'TIME', 'PARKING_TIME'];

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** A TariffElement with its restrictions parsed once and its first component per dimension. */
export interface CompiledElement {
  index: number;
  components: Partial<Record<PricedDimension, PriceComponent>>;
  startMs?: number;
  endMs?: number;
  startDay?: number;
  endDay?: number;
  weekdays?: ReadonlySet<number>;
  minKwh?: Decimal;
  maxKwh?: Decimal;
  minCurrent?: number;
  maxCurrent?: number;
  minPower?: number;
  maxPower?: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  reservation?: TariffRestrictions['reservation'];
}

/** What a period says about power and current: the level each `min_*` and each `max_*` restriction is compared with. */
export interface PeriodLevels {
  minPower?: number;
  maxPower?: number;
  minCurrent?: number;
  maxCurrent?: number;
}

/** The state of the session at the instant a restriction is evaluated. */
export interface Moment {
  local: LocalMoment;
  /** kWh delivered in the session before this instant. */
  energy: Decimal;
  /** Milliseconds since the session (or the reservation) started. */
  elapsedMs: Decimal;
}

export function compileElement(element: TariffElement, index: number): CompiledElement {
  const components: CompiledElement['components'] = {};
  for (const component of element.price_components) components[component.type] ??= component;
  const r = element.restrictions ?? {};
  const compiled: CompiledElement = { index, components };
  if (r.start_time !== undefined) compiled.startMs = msOfDayOf(r.start_time);
  if (r.end_time !== undefined) compiled.endMs = r.end_time === '00:00' ? DAY_MS : msOfDayOf(r.end_time);
  if (r.start_date !== undefined) compiled.startDay = dayNumberOf(r.start_date);
  if (r.end_date !== undefined) compiled.endDay = dayNumberOf(r.end_date);
  if (r.day_of_week !== undefined && r.day_of_week.length > 0) compiled.weekdays = new Set(r.day_of_week.map((day) => WEEKDAYS.indexOf(day)));
  if (r.min_kwh !== undefined) compiled.minKwh = new Decimal(r.min_kwh);
  if (r.max_kwh !== undefined) compiled.maxKwh = new Decimal(r.max_kwh);
  if (r.min_current !== undefined) compiled.minCurrent = r.min_current;
  if (r.max_current !== undefined) compiled.maxCurrent = r.max_current;
  if (r.min_power !== undefined) compiled.minPower = r.min_power;
  if (r.max_power !== undefined) compiled.maxPower = r.max_power;
  if (r.min_duration !== undefined) compiled.minDurationMs = r.min_duration * 1000;
  if (r.max_duration !== undefined) compiled.maxDurationMs = r.max_duration * 1000;
  if (r.reservation !== undefined) compiled.reservation = r.reservation;
  return compiled;
}

/**
 * Time-of-day window, `end` exclusive. `end_time` 00:00 means the end of the day; `end < start` wraps past
 * midnight; equal bounds cover the whole day.
 */
export function inTimeWindow(msOfDay: number, startMs: number | undefined, endMs: number | undefined): boolean {
  if (startMs === undefined && endMs === undefined) return true;
  const start = startMs ?? 0;
  const end = endMs ?? DAY_MS;
  if (start < end) return msOfDay >= start && msOfDay < end;
  if (start > end) return msOfDay >= start || msOfDay < end;
  return true;
}

/** All restrictions but `reservation` (which chooses the element set, see selectComponents), AND-ed. */
export function restrictionsMatch(element: CompiledElement, moment: Moment, levels: PeriodLevels): boolean {
  const { local, energy, elapsedMs } = moment;
  if (!inTimeWindow(local.msOfDay, element.startMs, element.endMs)) return false;
  if (element.startDay !== undefined && local.dayNumber < element.startDay) return false;
  if (element.endDay !== undefined && local.dayNumber >= element.endDay) return false;
  if (element.weekdays !== undefined && !element.weekdays.has(local.weekday)) return false;
  if (element.minKwh !== undefined && energy.lt(element.minKwh)) return false;
  if (element.maxKwh !== undefined && energy.gte(element.maxKwh)) return false;
  if (element.minDurationMs !== undefined && elapsedMs.lt(element.minDurationMs)) return false;
  if (element.maxDurationMs !== undefined && elapsedMs.gte(element.maxDurationMs)) return false;
  if (element.minPower !== undefined && levels.minPower !== undefined && levels.minPower < element.minPower) return false;
  if (element.maxPower !== undefined && levels.maxPower !== undefined && levels.maxPower >= element.maxPower) return false;
  if (element.minCurrent !== undefined && levels.minCurrent !== undefined && levels.minCurrent < element.minCurrent) return false;
  if (element.maxCurrent !== undefined && levels.maxCurrent !== undefined && levels.maxCurrent >= element.maxCurrent) return false;
  return true;
}

/** Which elements price a period: the session's own, a reservation's, or an expired reservation's (its own first). */
export type PeriodKind = 'session' | 'reservation' | 'expired-reservation';

export interface ActiveComponent {
  element: number;
  component: PriceComponent;
}

export type ActiveComponents = Partial<Record<PricedDimension, ActiveComponent>>;

/** Per dimension, the first element in list order that prices it and whose restrictions match. */
export function selectComponents(elements: readonly CompiledElement[], kind: PeriodKind, moment: Moment, levels: PeriodLevels): ActiveComponents {
  const active: ActiveComponents = {};
  const pass = (wanted: CompiledElement['reservation']) => {
    for (const element of elements) {
      if (element.reservation !== wanted || !restrictionsMatch(element, moment, levels)) continue;
      for (const dimension of PRICED_DIMENSIONS) {
        const component = element.components[dimension];
        if (component !== undefined && active[dimension] === undefined) active[dimension] = { element: element.index, component };
      }
    }
  };
  if (kind === 'session') pass(undefined);
  else {
    if (kind === 'expired-reservation') pass('RESERVATION_EXPIRES');
    pass('RESERVATION');
  }
  return active;
}
