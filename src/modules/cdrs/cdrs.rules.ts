import { parseDateTime } from '../../ocpi/pagination';
import { tariffRuleViolations } from '../tariffs/tariffs.schema';
import { SESSION_ONLY_DIMENSIONS } from '../sessions/charging.schema';
import { CDR_PRICE_FIELDS, type CdrInput } from './cdrs.schema';

/**
 * Rules of a CDR beyond its schema (digest §3.3.3, §3.3.5), each message naming the field. Run after the
 * schema check; they need nothing stored (the credit reference is checked against the database later).
 */

const time = (value: string) => parseDateTime(value).getTime();

/** Normal CDR ids are at most 36 characters; the extra 3 of CiString(39) are for a credit CDR's suffix. */
const NORMAL_ID_MAX = 36;

function creditViolations(cdr: CdrInput): string[] {
  const problems: string[] = [];
  if (cdr.credit === true) {
    if (cdr.credit_reference_id === undefined) problems.push('/credit_reference_id is required when /credit is true');
    else if (cdr.credit_reference_id.toUpperCase() === cdr.id.toUpperCase()) problems.push('/credit_reference_id must name another CDR than /id');
  } else {
    if (cdr.credit_reference_id !== undefined) problems.push('/credit_reference_id is only allowed when /credit is true');
    if (cdr.id.length > NORMAL_ID_MAX) problems.push(`/id of a CDR that is not a credit must be at most ${NORMAL_ID_MAX} characters`);
  }
  return problems;
}

/**
 * Amounts: all of a normal CDR's are >= 0; all of a credit CDR's are <= 0 (it negates the original's
 * costs). Quantities (energy, time, parking time) are never negative, credit or not: the spec negates
 * only the cost amounts.
 */
function totalViolations(cdr: CdrInput): string[] {
  const problems: string[] = [];
  const credit = cdr.credit === true;
  for (const field of CDR_PRICE_FIELDS) {
    const price = cdr[field];
    if (!price) continue;
    for (const part of ['excl_vat', 'incl_vat'] as const) {
      const amount = price[part];
      if (amount === undefined) continue;
      if (!credit && amount < 0) problems.push(`/${field}/${part} must not be negative (only a credit CDR has negative amounts)`);
      if (credit && amount > 0) problems.push(`/${field}/${part} must not be positive in a credit CDR (it negates the original's costs)`);
    }
  }
  for (const field of ['total_energy', 'total_time', 'total_parking_time'] as const) {
    const value = cdr[field];
    if (value !== undefined && value < 0) problems.push(`/${field} must not be negative`);
  }
  if (cdr.total_parking_time !== undefined && cdr.total_parking_time > cdr.total_time) problems.push('/total_parking_time must not exceed /total_time');
  return problems;
}

/** Periods lie within the CDR, in order, with CDR dimensions only, naming tariffs the CDR carries. */
function periodViolations(cdr: CdrInput): string[] {
  const problems: string[] = [];
  const start = time(cdr.start_date_time);
  const end = time(cdr.end_date_time);
  const tariffIds = cdr.tariffs ? new Set(cdr.tariffs.map((t) => t.id.toUpperCase())) : undefined;
  let previous = -Infinity;
  cdr.charging_periods.forEach((period, index) => {
    const path = `/charging_periods/${index}`;
    const at = time(period.start_date_time);
    if (at < start || at > end) problems.push(`${path}/start_date_time must lie between /start_date_time and /end_date_time`);
    if (at < previous) problems.push(`${path}/start_date_time must not be before the previous period's`);
    previous = at;
    period.dimensions.forEach((dimension, d) => {
      if (SESSION_ONLY_DIMENSIONS.includes(dimension.type)) problems.push(`${path}/dimensions/${d}/type ${dimension.type} is for Sessions only, not CDRs`);
    });
    if (period.tariff_id !== undefined && tariffIds && !tariffIds.has(period.tariff_id.toUpperCase())) {
      problems.push(`${path}/tariff_id names no tariff of /tariffs`);
    }
  });
  return problems;
}

function tariffViolations(cdr: CdrInput): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  (cdr.tariffs ?? []).forEach((tariff, index) => {
    const key = tariff.id.toUpperCase();
    if (seen.has(key)) problems.push(`/tariffs/${index}/id repeats tariff ${tariff.id}`);
    seen.add(key);
    problems.push(...tariffRuleViolations(tariff).map((problem) => `/tariffs/${index}${problem}`));
  });
  return problems;
}

/** Every rule of a CDR beyond its schema; returns messages naming the field. */
export function cdrRuleViolations(cdr: CdrInput): string[] {
  const problems = [...creditViolations(cdr)];
  // Equal start and end are allowed: the spec's placeholder for a CDR without times is 1970-01-01 for both.
  if (time(cdr.end_date_time) < time(cdr.start_date_time)) problems.push('/end_date_time must not be before /start_date_time');
  problems.push(...totalViolations(cdr), ...periodViolations(cdr), ...tariffViolations(cdr));
  return problems;
}
