import { Type } from '@sinclair/typebox';
import { callPartner, PartnerCallError } from '../../ocpi/outbound';
import { conforms } from '../../ocpi/validate';
import type { Logger } from '../../platform/logger';
import type { PartnerRecord } from '../credentials/partner.mapper';
import { Token, type TokenPullResult } from './tokens.schema';
import type { TokensService } from './tokens.service';

/** A page of a sender list: the items are checked one by one, so one bad token does not stop the pull. */
const ANY_LIST = Type.Array(Type.Unknown());

export interface TokenPullDeps {
  service: Pick<TokensService, 'storePulled'>;
  logger: Logger;
  timeoutMs: number;
  /** The page size we ask for; the partner's X-Limit lowers it. */
  pageSize: number;
}

/** The partner's Tokens SENDER endpoint (digest §3.5.2), without a trailing slash. */
export function tokensSenderUrl(partner: Pick<PartnerRecord, 'endpoints'>): string | undefined {
  return partner.endpoints.find((e) => e.identifier === 'tokens' && e.role === 'SENDER')?.url.replace(/\/+$/, '');
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
function followable(link: string, endpoint: string, partnerLimit: number | undefined): URL {
  let next: URL;
  try {
    next = new URL(link);
  } catch {
    throw new PartnerCallError('invalid-data', `Link ${link.slice(0, 200)} is not an absolute URL`);
  }
  if (next.origin !== new URL(endpoint).origin) throw new PartnerCallError('invalid-data', `Link ${next.origin} leaves the tokens endpoint's origin`);
  const asked = positiveInt(next.searchParams.get('limit'));
  if (partnerLimit !== undefined && asked !== undefined && asked > partnerLimit) next.searchParams.set('limit', String(partnerLimit));
  return next;
}

/**
 * Pulls a partner's Tokens SENDER list (digest §3.5.2): page after page following `Link` until it is
 * absent, each page stored before the next is asked for (bounded memory), by the receiver's rules
 * (tokens.service.ts `storePulled`). A page that fails stops the pull with a PartnerCallError naming it;
 * what was stored stays, and a new pull simply stores again (idempotent).
 */
export function createTokenPull({ service, logger, timeoutMs, pageSize }: TokenPullDeps) {
  async function pull(partner: PartnerRecord): Promise<TokenPullResult> {
    const endpoint = tokensSenderUrl(partner);
    if (!endpoint || !partner.outboundToken) throw new Error(`partner ${partner.id} has no tokens SENDER endpoint`);
    const caller = { partnerId: partner.id, parties: partner.roles.map((r) => ({ countryCode: r.country_code, partyId: r.party_id })) };
    let url: URL | undefined = new URL(endpoint);
    url.searchParams.set('offset', '0');
    url.searchParams.set('limit', String(pageSize));
    let [fetched, stored, skipped, pages] = [0, 0, 0, 0];
    const seen = new Set<string>();
    while (url) {
      if (seen.has(url.href)) throw new PartnerCallError('invalid-data', `Link repeats ${url.href} after ${fetched} tokens`);
      seen.add(url.href);
      let page;
      try {
        page = await callPartner({ method: 'GET', url: url.href, token: partner.outboundToken, timeoutMs }, ANY_LIST);
      } catch (error) {
        if (error instanceof PartnerCallError) throw new PartnerCallError(error.kind, `page ${pages + 1} (after ${fetched} tokens): ${error.message}`, error.httpStatus, error.ocpiStatus);
        throw error;
      }
      pages += 1;
      for (const item of page.data) {
        fetched += 1;
        if (!conforms(Token, item)) {
          skipped += 1;
          logger.warn('pulled token is not a valid Token: skipped', { partner: partner.id, page: pages });
          continue;
        }
        const outcome = await service.storePulled(item, caller);
        if (outcome === undefined) {
          skipped += 1;
          logger.warn('pulled token of a party the partner does not hold: skipped', { partner: partner.id, country_code: item.country_code, party_id: item.party_id });
        } else if (outcome === 'stale') skipped += 1;
        else stored += 1;
      }
      const totalHeader = page.headers.get('x-total-count')?.trim();
      const total = totalHeader !== undefined && /^[0-9]{1,12}$/.test(totalHeader) ? Number(totalHeader) : undefined;
      logger.info('tokens page pulled', { partner: partner.id, page: pages, fetched, total, stored, skipped });
      const link = nextLink(page.headers.get('link'));
      if (link !== undefined && page.data.length === 0) throw new PartnerCallError('invalid-data', `page ${pages} is empty but names a next page`);
      url = link === undefined ? undefined : followable(link, endpoint, positiveInt(page.headers.get('x-limit')));
    }
    logger.info('tokens pulled', { partner: partner.id, pages, fetched, stored, skipped });
    return { fetched, stored };
  }

  return {
    pull,
    /** After a registration: pull in the background, logged, never failing the handshake. */
    inBackground(partner: PartnerRecord): void {
      if (partner.status !== 'REGISTERED' || !tokensSenderUrl(partner)) return;
      pull(partner).catch((error: unknown) => {
        logger.warn('tokens pull after registration failed', { partner: partner.id, error: (error as Error).message });
      });
    },
  };
}

export type TokenPull = ReturnType<typeof createTokenPull>;
