import type { ChargingPeriod } from '../modules/sessions/charging.schema';
import type { Price, TariffElement } from '../modules/tariffs/tariffs.schema';

/** Pure OCPI 2.2.1 tariff arithmetic (ARCHITECTURE.md §9; rules in the README section "Pricing"): no I/O, no clock. */

export interface PricingInput {
  /** The OCPI Tariff; fields other than these are ignored. */
  tariff: { currency: string; elements: TariffElement[]; min_price?: Price; max_price?: Price };
  /** Session start (OCPI DateTime, UTC); a reservation's start when one precedes the session. */
  startDateTime: string;
  /** Session end; absent, the session ends where its last charging period starts (or at its start without periods). */
  endDateTime?: string;
  chargingPeriods: ChargingPeriod[];
  /** IANA zone of the location (Location.time_zone), e.g. 'Europe/Amsterdam'. */
  timeZone: string;
}

/** The CDR cost fields as OCPI wants them: quantities in kWh and hours, Prices rounded to the currency's minor unit. */
export interface PricedSession {
  total_cost: Price;
  total_fixed_cost?: Price;
  total_energy: number;
  total_energy_cost?: Price;
  total_time: number;
  total_time_cost?: Price;
  total_parking_time?: number;
  total_parking_cost?: Price;
  total_reservation_cost?: Price;
}

export { PricingError } from './errors';
export { priceSession } from './price-session';
