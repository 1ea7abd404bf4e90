import { SESSION_FIELD_ORDER, type Session } from './sessions.schema';
import type { SessionRecord } from './sessions.repository';

/** OCPI ids are case-insensitive: rows are keyed by the upper-cased id. */
export const sessionKey = (id: string): string => id.toUpperCase();

/** A session's OCPI fields in the spec's order, without `last_updated` (what is stored as `data`). */
export function sessionData(fields: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of SESSION_FIELD_ORDER) if (field !== 'last_updated' && fields[field] !== undefined) data[field] = fields[field];
  return data;
}

export function sessionObject(record: SessionRecord): Session {
  return { ...record.data, last_updated: record.lastUpdated.toISOString() } as Session;
}
