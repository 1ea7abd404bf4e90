import { TARIFF_FIELD_ORDER, type Tariff } from './tariffs.schema';
import type { TariffRecord } from './tariffs.repository';

/** OCPI ids are case-insensitive: rows are keyed by the upper-cased id. */
export const tariffKey = (id: string): string => id.toUpperCase();

/** A tariff's OCPI fields in the spec's order, without `last_updated` (what is stored as `data`). */
export function tariffData(fields: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of TARIFF_FIELD_ORDER) if (field !== 'last_updated' && fields[field] !== undefined) data[field] = fields[field];
  return data;
}

export function tariffObject(record: TariffRecord): Tariff {
  return { ...record.data, last_updated: record.lastUpdated.toISOString() } as Tariff;
}
