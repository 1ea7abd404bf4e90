import { Type } from '@sinclair/typebox';
import { callPartner, PartnerCallError } from './outbound';

/** A page of a partner's list: the items are checked by the caller, one by one, so one bad item does not stop it. */
const ANY_LIST = Type.Array(Type.Unknown());

/** A paged list at a partner (a SENDER list, or the seed's receiver-list extension), asked page by page. */
export interface ListPagesCall {
  /** The list's URL, without `offset`/`limit`; pages after the first follow the partner's `Link`. */
  url: string;
  token: string;
  timeoutMs: number;
  /** The page size we ask for; the partner's X-Limit lowers it. */
  pageSize: number;
  /** Extra request headers (routing headers). */
  headers?: Record<string, string>;
  /** What the list holds, for messages ("tokens", "locations"). */
  noun: string;
}

export interface ListPage {
  items: unknown[];
  /** 1 for the first page. */
  number: number;
  /** The partner's X-Total-Count, when it sent a valid one. */
  total: number | undefined;
  /** Items in the pages before this one. */
  before: number;
}

/** The `rel="next"` target of a `Link` header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]+)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(match[2] as string)) return match[1];
  }
  return undefined;
}

const positiveInt = (value: string | null): number | undefined => (value !== null && /^[0-9]{1,9}$/.test(value.trim()) && Number(value) > 0 ? Number(value) : undefined);

/**
 * The next page's URL: the partner's own `Link`, on the endpoint's origin only (our token goes with
 * it), its `limit` lowered to what the partner said it allows (X-Limit).
 */
function followable(link: string, call: ListPagesCall, partnerLimit: number | undefined): URL {
  let next: URL;
  try {
    next = new URL(link);
  } catch {
    throw new PartnerCallError('invalid-data', `Link ${link.slice(0, 200)} is not an absolute URL`);
  }
  if (next.origin !== new URL(call.url).origin) throw new PartnerCallError('invalid-data', `Link ${next.origin} leaves the ${call.noun} endpoint's origin`);
  const asked = positiveInt(next.searchParams.get('limit'));
  if (partnerLimit !== undefined && asked !== undefined && asked > partnerLimit) next.searchParams.set('limit', String(partnerLimit));
  return next;
}

/**
 * Asks a partner's paged list page after page, following `Link` until it is absent; each page is
 * handed to `onPage` (and awaited) before the next is asked for, so memory stays bounded. A page that
 * fails stops it with a PartnerCallError naming the page (kind and statuses kept).
 */
export async function forEachListPage(call: ListPagesCall, onPage: (page: ListPage) => Promise<void>): Promise<{ pages: number; fetched: number }> {
  let url: URL | undefined = new URL(call.url);
  url.searchParams.set('offset', '0');
  url.searchParams.set('limit', String(call.pageSize));
  let [fetched, pages] = [0, 0];
  const seen = new Set<string>();
  while (url) {
    if (seen.has(url.href)) throw new PartnerCallError('invalid-data', `Link repeats ${url.href} after ${fetched} ${call.noun}`);
    seen.add(url.href);
    let answer;
    try {
      answer = await callPartner({ method: 'GET', url: url.href, token: call.token, timeoutMs: call.timeoutMs, headers: call.headers }, ANY_LIST);
    } catch (error) {
      if (error instanceof PartnerCallError) throw new PartnerCallError(error.kind, `page ${pages + 1} (after ${fetched} ${call.noun}): ${error.message}`, error.httpStatus, error.ocpiStatus);
      throw error;
    }
    pages += 1;
    const totalHeader = answer.headers.get('x-total-count')?.trim();
    const total = totalHeader !== undefined && /^[0-9]{1,12}$/.test(totalHeader) ? Number(totalHeader) : undefined;
    await onPage({ items: answer.data, number: pages, total, before: fetched });
    fetched += answer.data.length;
    const link = nextLink(answer.headers.get('link'));
    if (link !== undefined && answer.data.length === 0) throw new PartnerCallError('invalid-data', `page ${pages} is empty but names a next page`);
    url = link === undefined ? undefined : followable(link, call, positiveInt(answer.headers.get('x-limit')));
  }
  return { pages, fetched };
}
