import { priceSession } from '../../pricing';
import { priced } from '../tariffs/tariff-quote';
import type { SessionSeal } from './session-seal';
import { sessionTariff } from './session-tariff';
import type { SessionInput } from './sessions.schema';

/**
 * The `total_cost` an ACTIVE session carries: its periods priced up to `now` (or its end) under the
 * tariff sealed at its start. Undefined when the node does not price it (not ACTIVE, no tariff in
 * force): then whatever the CSMS reported stands.
 */
export function runningCost(session: SessionInput, seal: SessionSeal | undefined, now: Date): SessionInput['total_cost'] {
  if (session.status !== 'ACTIVE' || !seal) return undefined;
  const tariff = sessionTariff(seal.tariffs, session);
  if (!tariff) return undefined;
  return priced(() => priceSession({
    tariff: tariff as never,
    startDateTime: session.start_date_time,
    endDateTime: session.end_date_time ?? now.toISOString(),
    chargingPeriods: session.charging_periods ?? [],
    timeZone: seal.time_zone,
  })).total_cost;
}
