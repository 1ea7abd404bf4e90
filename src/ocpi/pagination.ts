import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DateTime } from './types';
import { validate } from './validate';
import { OcpiError } from './ocpi-error';

/** The list parameters: what `parsePageRequest` reads and what the admin API documents. */
export const PaginationQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  date_from: Type.Optional(DateTime),
  date_to: Type.Optional(DateTime),
  cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
});
type PaginationQuery = Static<typeof PaginationQuery>;

/** A page request after parsing: `after` is the keyset position carried by our own `Link` cursors. */
export interface PageRequest {
  offset: number;
  limit: number;
  dateFrom: Date | undefined;
  dateTo: Date | undefined;
  after: string | undefined;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** Whether anything follows this page (by key, not by arithmetic on a total that may have changed). */
  more: boolean;
  /** Keyset position of the last item, for the next page's cursor. */
  lastKey: string | undefined;
}

/** OCPI DateTime to Date; no `Z` still means UTC (digest §1.13). */
export function parseDateTime(value: string): Date {
  return new Date(/Z$/.test(value) ? value : `${value}Z`);
}

/**
 * A cursor is only honoured when its offset equals the requested one, so a client that edits the
 * offset by hand simply gets offset semantics.
 */
function decodeCursor(cursor: string | undefined, offset: number): string | undefined {
  if (!cursor) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; k?: unknown };
    return decoded.o === offset && typeof decoded.k === 'string' && /^[0-9]{1,19}$/.test(decoded.k) ? decoded.k : undefined;
  } catch {
    return undefined;
  }
}

function encodeCursor(offset: number, key: string): string {
  return Buffer.from(JSON.stringify({ o: offset, k: key }), 'utf8').toString('base64url');
}

export interface PageRequestOptions {
  /**
   * Refuse parameters other than the list's own (the admin API: an operator's typo must not silently
   * widen a list). OCPI lists ignore them, so partners adding their own parameters keep working.
   */
  refuseUnknown?: boolean;
}

/** Reads offset/limit/date_from/date_to (query strings are coerced; bodies never are); limit is clamped. */
export function parsePageRequest(query: unknown, maxLimit: number, options: PageRequestOptions = {}): PageRequest {
  const raw = { ...(query as Record<string, unknown>) };
  for (const key of Object.keys(raw)) if (Array.isArray(raw[key])) throw OcpiError.badRequest(`Invalid query: ${key} given twice`);
  const unknown = Object.keys(raw).filter((key) => !(key in PaginationQuery.properties));
  if (options.refuseUnknown && unknown.length > 0) throw OcpiError.badRequest(`Invalid query: unknown parameter ${unknown.join(', ')}`);
  const known = Object.fromEntries(Object.entries(raw).filter(([key]) => key in PaginationQuery.properties));
  const parsed: PaginationQuery = validate(PaginationQuery, Value.Convert(PaginationQuery, known), 'query');
  const offset = parsed.offset ?? 0;
  return {
    offset,
    limit: Math.min(parsed.limit ?? maxLimit, maxLimit),
    dateFrom: parsed.date_from ? parseDateTime(parsed.date_from) : undefined,
    dateTo: parsed.date_to ? parseDateTime(parsed.date_to) : undefined,
    after: decodeCursor(parsed.cursor, offset),
  };
}

/**
 * X-Total-Count, X-Limit and, when more remain, `Link: <...>; rel="next"` repeating every filter of the
 * request (digest §1.10). `baseUrl` is the endpoint's public URL without a query.
 */
export function paginationHeaders(baseUrl: string, query: Record<string, unknown>, request: PageRequest, page: Page<unknown>, maxLimit: number): Record<string, string> {
  const headers: Record<string, string> = { 'X-Total-Count': String(page.total), 'X-Limit': String(maxLimit) };
  const nextOffset = request.offset + page.items.length;
  if (page.more && page.lastKey !== undefined) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (key !== 'offset' && key !== 'limit' && key !== 'cursor' && typeof value === 'string') params.set(key, value);
    }
    params.set('offset', String(nextOffset));
    params.set('limit', String(request.limit));
    params.set('cursor', encodeCursor(nextOffset, page.lastKey));
    headers.Link = `<${baseUrl}?${params.toString()}>; rel="next"`;
  }
  return headers;
}
