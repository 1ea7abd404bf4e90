import { Decimal, MS_PER_HOUR, ZERO } from './decimal';
import { PricingError } from './errors';
import type { PricedSession, PricingInput } from './index';
import { DimensionLedger } from './ledger';
import { ZoneTimeline } from './local-time';
import { limitTotal, minorUnitDigits, sumAmounts, toPrice, type Amount } from './money';
import { measure, type MeasuredPeriod } from './periods';
import { compileElement, selectComponents, type CompiledElement, type PeriodKind } from './restrictions';
import { splitPeriod, type SplitContext } from './segments';
import { applyDurationStep, applySessionSteps } from './step-size';

const ONE = new Decimal(1);

function currencyDigits(currency: string): number {
  try {
    return minorUnitDigits(currency);
  } catch {
    throw new PricingError(`unknown currency ${JSON.stringify(currency)}`);
  }
}

const distinct = <T>(values: readonly T[], key: (value: T) => string | number = (value) => String(value)): T[] => {
  const seen = new Map<string | number, T>();
  for (const value of values) if (!seen.has(key(value))) seen.set(key(value), value);
  return [...seen.values()];
};

function clockTimes(elements: readonly CompiledElement[]): number[] | undefined {
  const usesClock = elements.some((e) => e.startMs !== undefined || e.endMs !== undefined || e.startDay !== undefined || e.endDay !== undefined || e.weekdays !== undefined);
  if (!usesClock) return undefined;
  return distinct(elements.flatMap((e) => [e.startMs, e.endMs]).filter((ms): ms is number => ms !== undefined));
}

/** The CDR cost fields of a session priced under one tariff; see the README section "Pricing" for every rule. */
export function priceSession(input: PricingInput): PricedSession {
  const { tariff } = input;
  const digits = currencyDigits(tariff.currency);
  const measured = measure(input.startDateTime, input.endDateTime, input.chargingPeriods);
  const timeline = new ZoneTimeline(input.timeZone, measured.start, measured.end);
  const elements = tariff.elements.map(compileElement);

  const periods: MeasuredPeriod[] = measured.periods.length > 0 ? measured.periods : [{
    start: measured.start, end: measured.end, reservation: false, energy: ZERO, time: ZERO, parking: ZERO, reservationTime: ZERO, levels: {},
  }];
  const firstCharging = periods.find((period) => !period.reservation);
  const sessionStart = firstCharging?.start ?? measured.end;
  const times = clockTimes(elements);
  const shared: Omit<SplitContext, 'anchor'> = {
    timeline,
    clockBoundaries: times === undefined ? [] : timeline.boundaries(measured.start, measured.end, times),
    durationThresholds: distinct(elements.flatMap((e) => [e.minDurationMs, e.maxDurationMs]).filter((ms): ms is number => ms !== undefined)),
    kwhThresholds: distinct(elements.flatMap((e) => [e.minKwh, e.maxKwh]).filter((kwh): kwh is Decimal => kwh !== undefined), (kwh) => kwh.toString()),
  };
  const sessionContext: SplitContext = { ...shared, anchor: measured.periods.some((p) => p.reservation) ? sessionStart : measured.start };
  const reservationContext: SplitContext = { ...shared, anchor: measured.start };

  const flat = new DimensionLedger();
  const energy = new DimensionLedger();
  const time = new DimensionLedger();
  const parking = new DimensionLedger();
  const reservationFlat = new DimensionLedger();
  const reservationTime = new DimensionLedger();

  let energyBefore = ZERO;
  let parkingHours = ZERO;
  for (const period of periods) {
    const kind: PeriodKind = !period.reservation ? 'session' : firstCharging ? 'reservation' : 'expired-reservation';
    const segments = splitPeriod(period, period.reservation ? ZERO : energyBefore, period.reservation ? reservationContext : sessionContext);
    for (const segment of segments) {
      const active = selectComponents(elements, kind, segment.moment, period.levels);
      if (kind === 'session') {
        if (active.FLAT && !flat.applied) flat.add(active.FLAT.component, ONE);
        if (active.ENERGY) energy.add(active.ENERGY.component, segment.energy);
        if (active.TIME) time.add(active.TIME.component, period.time.times(segment.share));
        if (active.PARKING_TIME) parking.add(active.PARKING_TIME.component, period.parking.times(segment.share));
      } else {
        if (active.FLAT && !reservationFlat.applied) reservationFlat.add(active.FLAT.component, ONE);
        if (active.TIME) reservationTime.add(active.TIME.component, period.reservationTime.times(segment.share));
      }
    }
    if (!period.reservation) {
      energyBefore = energyBefore.plus(period.energy);
      parkingHours = parkingHours.plus(period.parking);
    }
  }
  applySessionSteps({ energy, time, parking });
  applyDurationStep(reservationTime);

  const costOf = (ledger: DimensionLedger): Amount | undefined => (ledger.applied ? ledger.cost() : undefined);
  const fixedCost = costOf(flat);
  const energyCost = costOf(energy);
  const timeCost = costOf(time);
  const parkingCost = costOf(parking);
  const reservationParts = [costOf(reservationFlat), costOf(reservationTime)].filter((a): a is Amount => a !== undefined);
  const reservationCost = reservationParts.length > 0 ? sumAmounts(reservationParts) : undefined;
  const parts = [fixedCost, energyCost, timeCost, parkingCost, reservationCost].filter((a): a is Amount => a !== undefined);
  const total = limitTotal(sumAmounts(parts), tariff.min_price, tariff.max_price);

  const priced: PricedSession = {
    total_cost: toPrice(total, digits),
    total_energy: energyBefore.toNumber(),
    total_time: firstCharging ? new Decimal(measured.end - sessionStart).div(MS_PER_HOUR).toNumber() : 0,
  };
  if (fixedCost) priced.total_fixed_cost = toPrice(fixedCost, digits);
  if (energyCost) priced.total_energy_cost = toPrice(energyCost, digits);
  if (timeCost) priced.total_time_cost = toPrice(timeCost, digits);
  if (parkingHours.gt(0)) priced.total_parking_time = parkingHours.toNumber();
  if (parkingCost) priced.total_parking_cost = toPrice(parkingCost, digits);
  if (reservationCost) priced.total_reservation_cost = toPrice(reservationCost, digits);
  return priced;
}
