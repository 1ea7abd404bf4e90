import type { ChargingPeriod } from '../../../src/modules/sessions/charging.schema';
import type { Price, PriceComponent, TariffElement, TariffRestrictions } from '../../../src/modules/tariffs/tariffs.schema';
import type { PricedSession, PricingInput } from '../../../src/pricing';

/** A price component: `c('ENERGY', 0.25, 1, 10)` = 0.25 per kWh, step 1 Wh, 10% VAT (omit `vat` for none). */
export function c(type: PriceComponent['type'], price: number, step_size = 1, vat?: number): PriceComponent {
  return vat === undefined ? { type, price, step_size } : { type, price, step_size, vat };
}

export function el(components: PriceComponent[], restrictions?: TariffRestrictions): TariffElement {
  return restrictions === undefined ? { price_components: components } : { price_components: components, restrictions };
}

/** A charging period from its start and `{ ENERGY: kWh, TIME: hours, ... }`. */
export function p(start: string, dimensions: Record<string, number>): ChargingPeriod {
  return { start_date_time: start, dimensions: Object.entries(dimensions).map(([type, volume]) => ({ type, volume })) as ChargingPeriod['dimensions'] };
}

export interface PricingCase {
  name: string;
  elements: TariffElement[];
  currency?: string;
  min_price?: Price;
  max_price?: Price;
  timeZone?: string;
  start: string;
  end?: string;
  periods: ChargingPeriod[];
  /** Every cost field the result has (an optional one not listed must be absent); quantities only when listed. */
  expected: Partial<PricedSession> & { total_cost: Price };
}

export function inputOf(testCase: PricingCase): PricingInput {
  const tariff: PricingInput['tariff'] = { currency: testCase.currency ?? 'EUR', elements: testCase.elements };
  if (testCase.min_price) tariff.min_price = testCase.min_price;
  if (testCase.max_price) tariff.max_price = testCase.max_price;
  const input: PricingInput = { tariff, startDateTime: testCase.start, chargingPeriods: testCase.periods, timeZone: testCase.timeZone ?? 'UTC' };
  if (testCase.end !== undefined) input.endDateTime = testCase.end;
  return input;
}

export const COST_FIELDS = ['total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost'] as const;
