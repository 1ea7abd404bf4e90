import { parseDateTime } from '../../ocpi/pagination';
import { priceSession, PricingError } from '../../pricing';
import type { SessionSeal } from './session-seal';
import { sessionTariff } from './session-tariff';
import type { SessionInput } from './sessions.schema';

/**
 * The `total_cost` an ACTIVE session carries: its periods priced up to `now` (or its end; or its last
 * period's start, when the CSMS's clock runs ahead of ours) under the tariff sealed at its start.
 * Undefined when the node does not price it (not ACTIVE, no tariff in force, or periods the pricing
 * module cannot read): then whatever the CSMS reported stands, and the write is never refused for it.
 */
export function runningCost(session: SessionInput, seal: SessionSeal | undefined, now: Date): SessionInput['total_cost'] {
  if (session.status !== 'ACTIVE' || !seal) return undefined;
  const tariff = sessionTariff(seal.tariffs, session);
  if (!tariff) return undefined;
  const periods = session.charging_periods ?? [];
  const lastStart = periods.length > 0 ? parseDateTime(periods[periods.length - 1]!.start_date_time) : undefined;
  const end = session.end_date_time ?? new Date(Math.max(now.getTime(), lastStart?.getTime() ?? 0)).toISOString();
  try {
    return priceSession({ tariff: tariff as never, startDateTime: session.start_date_time, endDateTime: end, chargingPeriods: periods, timeZone: seal.time_zone }).total_cost;
  } catch (error) {
    if (error instanceof PricingError) return undefined;
    throw error;
  }
}
