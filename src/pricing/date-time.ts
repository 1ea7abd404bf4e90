import { PricingError } from './errors';

const OCPI_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?Z?$/;

/** An OCPI DateTime (UTC, `Z` optional, up to 9 fraction digits) as epoch milliseconds; sub-millisecond digits are dropped. */
export function parseInstant(value: string, field: string): number {
  const match = OCPI_DATE_TIME.exec(value);
  const ms = match ? Date.parse(`${match[1]}${(match[2] ?? '').slice(0, 4)}Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new PricingError(`${field} is not an OCPI DateTime: ${JSON.stringify(value)}`);
  return ms;
}
