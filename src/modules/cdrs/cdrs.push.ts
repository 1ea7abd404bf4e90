import { holdsParty, type PartyRef } from '../credentials/partner.mapper';
import type { Logger } from '../../platform/logger';
import { receiverUrl, type DeliveryHandler, type PushAnswer, type RetryPolicy } from '../../push/delivery-handler';
import { cdrObject } from './cdrs.mapper';
import type { CdrForDelivery } from './cdrs.repository';

/** What the owner acknowledged of a CDR: where it can be read back in its system (`null`: it sent no `Location`). */
export interface CdrReceipt {
  location: string | null;
}

/**
 * CDRs are POSTed to the bare `cdrs` RECEIVER URL of their owner (the partner holding the party of
 * `cdr_token`), once: a CDR any partner acknowledged is never sent again, whatever the outbox asks
 * (a resync, a partner registering anew). The receipt is stored with the acknowledgement itself, in
 * the statement that retires the delivery (push/outbox.repository.ts `completeMany`).
 */
export function cdrsDeliveryHandler(load: (keys: string[]) => Promise<CdrForDelivery[]>, retry: RetryPolicy, logger: Logger): DeliveryHandler {
  return {
    module: 'cdrs',
    retry,
    async load(keys) {
      return new Map((await load(keys)).map((cdr) => [cdr.record.idKey, cdr]));
    },
    plan(partner, current, acknowledged) {
      const url = receiverUrl(partner, 'cdrs');
      const cdr = current as CdrForDelivery | undefined;
      if (!cdr) return { requests: [], state: acknowledged };
      // Its own receipt stays as it is; another partner's means the owner has it already.
      if (cdr.receipts.size > 0) return { requests: [], state: cdr.receipts.get(partner.id) };
      if (!url || !holdsParty(partner, cdr.record.data.cdr_token as PartyRef)) return { requests: [], state: undefined };
      return {
        requests: [{ method: 'POST', url, body: cdrObject(cdr.record), object: `cdr ${cdr.record.id}` }],
        state: undefined,
        receipt([answer]: PushAnswer[]): CdrReceipt {
          const location = answer?.location ?? null;
          if (location === null) logger.warn('cdr accepted without a Location header', { partner: partner.id, cdr: cdr.record.id });
          return { location };
        },
      };
    },
  };
}
