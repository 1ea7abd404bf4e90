import { Decimal } from './decimal';
import type { DimensionLedger } from './ledger';

const WH_PER_KWH = new Decimal(1000);
const SECONDS_PER_HOUR = new Decimal(3600);

/** `ceil(total / step) × step`; a step of 0 (or 1 on a whole total) leaves the total as it is. */
export function roundUpToStep(total: Decimal, step: number): Decimal {
  if (step <= 0) return total;
  return total.div(step).ceil().times(step);
}

/** ENERGY: the session's priced kWh, in Wh, rounded up to the last energy component's step_size. */
export function applyEnergyStep(ledger: DimensionLedger): void {
  if (ledger.last === undefined || !ledger.priced.gt(0)) return;
  const billedWh = roundUpToStep(ledger.priced.times(WH_PER_KWH), ledger.last.step_size);
  ledger.addToLast(billedWh.div(WH_PER_KWH).minus(ledger.priced));
}

/**
 * TIME-like dimensions: the priced hours, in seconds, rounded up to the last component's step_size. Seconds are
 * first rounded to the whole second, because hour volumes with a few decimals (0.166667 h) cannot say 600 s exactly.
 */
export function applyDurationStep(ledger: DimensionLedger): void {
  if (ledger.last === undefined || !ledger.priced.gt(0)) return;
  const seconds = ledger.priced.times(SECONDS_PER_HOUR).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const billedSeconds = roundUpToStep(seconds, ledger.last.step_size);
  ledger.addToLast(billedSeconds.div(SECONDS_PER_HOUR).minus(ledger.priced));
}

/**
 * Once per session for ENERGY, once for TIME and PARKING_TIME together: when parking was priced only the parking
 * total is rounded (charging followed by parking is billed exactly), otherwise the charging total is.
 */
export function applySessionSteps(ledgers: { energy: DimensionLedger; time: DimensionLedger; parking: DimensionLedger }): void {
  applyEnergyStep(ledgers.energy);
  applyDurationStep(ledgers.parking.applied ? ledgers.parking : ledgers.time);
}
