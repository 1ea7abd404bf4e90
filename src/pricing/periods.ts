import type { ChargingPeriod } from '../modules/sessions/charging.schema';
import { parseInstant } from './date-time';
import { Decimal, MS_PER_HOUR, ZERO } from './decimal';
import { PricingError } from './errors';
import type { PeriodLevels } from './restrictions';

/** One charging period as pricing reads it: its span and what it measured (kWh; hours). */
export interface MeasuredPeriod {
  start: number;
  end: number;
  reservation: boolean;
  energy: Decimal;
  time: Decimal;
  parking: Decimal;
  reservationTime: Decimal;
  levels: PeriodLevels;
}

export interface MeasuredSession {
  start: number;
  end: number;
  periods: MeasuredPeriod[];
}

function volumes(period: ChargingPeriod): Map<string, number> {
  const byType = new Map<string, number>();
  for (const { type, volume } of period.dimensions) byType.set(type, (byType.get(type) ?? 0) + volume);
  return byType;
}

/**
 * The periods in order with their ends (the next period's start; the last ends at the session end), their
 * dimensions read as volumes, and charging/parking time derived when the period gives neither.
 */
export function measure(startDateTime: string, endDateTime: string | undefined, chargingPeriods: readonly ChargingPeriod[]): MeasuredSession {
  const start = parseInstant(startDateTime, 'start_date_time');
  const starts = chargingPeriods.map((period, index) => parseInstant(period.start_date_time, `charging_periods[${index}].start_date_time`));
  const lastStart = starts.length > 0 ? starts[starts.length - 1]! : start;
  const end = endDateTime === undefined ? lastStart : parseInstant(endDateTime, 'end_date_time');
  if (end < start) throw new PricingError('end_date_time is before start_date_time');
  starts.forEach((periodStart, index) => {
    if (periodStart < start) throw new PricingError(`charging_periods[${index}] starts before the session`);
    if (index > 0 && periodStart < starts[index - 1]!) throw new PricingError(`charging_periods[${index}] starts before the period before it`);
  });
  if (end < lastStart) throw new PricingError('end_date_time is before the start of the last charging period');

  const periods = chargingPeriods.map((period, index): MeasuredPeriod => {
    const periodStart = starts[index]!;
    const periodEnd = index + 1 < starts.length ? starts[index + 1]! : end;
    const byType = volumes(period);
    const read = (type: string) => (byType.has(type) ? new Decimal(byType.get(type)!) : ZERO);
    const energy = read('ENERGY');
    let time = read('TIME');
    let parking = read('PARKING_TIME');
    const reservationTime = read('RESERVATION_TIME');
    const reservation = byType.has('RESERVATION_TIME');
    if (!reservation && !byType.has('TIME') && !byType.has('PARKING_TIME')) {
      const hours = new Decimal(periodEnd - periodStart).div(MS_PER_HOUR);
      if (energy.gt(0)) time = hours;
      else parking = hours;
    }
    const level = (specific: string, average: string) => byType.get(specific) ?? byType.get(average);
    return {
      start: periodStart,
      end: periodEnd,
      reservation,
      energy,
      time,
      parking,
      reservationTime,
      levels: {
        minPower: level('MIN_POWER', 'POWER'),
        maxPower: level('MAX_POWER', 'POWER'),
        minCurrent: level('MIN_CURRENT', 'CURRENT'),
        maxCurrent: level('MAX_CURRENT', 'CURRENT'),
      },
    };
  });
  return { start, end, periods };
}
