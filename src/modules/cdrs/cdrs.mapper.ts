import { CDR_FIELD_ORDER, type Cdr } from './cdrs.schema';
import type { CdrRecord } from './cdrs.repository';

/** OCPI ids are case-insensitive: rows are keyed by the upper-cased id. */
export const cdrKey = (id: string): string => id.toUpperCase();

/** A CDR's OCPI fields in the spec's order, without `last_updated` (what is stored as `data`). */
export function cdrData(fields: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of CDR_FIELD_ORDER) if (field !== 'last_updated' && fields[field] !== undefined) data[field] = fields[field];
  return data;
}

export function cdrObject(record: CdrRecord): Cdr {
  return { ...record.data, last_updated: record.lastUpdated.toISOString() } as Cdr;
}
