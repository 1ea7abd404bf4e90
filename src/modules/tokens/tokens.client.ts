import { forEachListPage } from '../../ocpi/list-pages';
import { conforms } from '../../ocpi/validate';
import type { Logger } from '../../platform/logger';
import type { PartnerRecord } from '../credentials/partner.mapper';
import { Token, type TokenPullResult } from './tokens.schema';
import type { TokensService } from './tokens.service';

export { nextLink } from '../../ocpi/list-pages';

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
    let [stored, skipped] = [0, 0];
    const call = { url: endpoint, token: partner.outboundToken, timeoutMs, pageSize, noun: 'tokens' };
    const { pages, fetched } = await forEachListPage(call, async ({ items, number, total, before }) => {
      for (const item of items) {
        if (!conforms(Token, item)) {
          skipped += 1;
          logger.warn('pulled token is not a valid Token: skipped', { partner: partner.id, page: number });
          continue;
        }
        const outcome = await service.storePulled(item, caller);
        if (outcome === undefined) {
          skipped += 1;
          logger.warn('pulled token of a party the partner does not hold: skipped', { partner: partner.id, country_code: item.country_code, party_id: item.party_id });
        } else if (outcome === 'stale') skipped += 1;
        else stored += 1;
      }
      logger.info('tokens page pulled', { partner: partner.id, page: number, fetched: before + items.length, total, stored, skipped });
    });
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
