import { Type } from '@sinclair/typebox';
import { forEachListPage, type ListPage } from '../../ocpi/list-pages';
import { callPartner } from '../../ocpi/outbound';
import { outboundRoutingHeaders } from '../../ocpi/routing-headers';
import { receiverUrl } from '../../push/delivery-handler';
import type { PartnerRecord } from '../credentials/partner.mapper';
import type { OurIdentity } from './locations.service';

/** The DELETE's answer carries no data we use. */
const ANY_DATA = Type.Unknown();

export interface LocationsReceiverClientDeps {
  us: OurIdentity;
  timeoutMs: number;
  /** The page size we ask for; the partner's X-Limit lowers it. */
  pageSize: number;
}

/**
 * The seed design's extension of a partner's Locations RECEIVER (ARCHITECTURE §2): `GET {receiver}/{cc}/{pid}`
 * lists every location it stores of that party (paged like a SENDER list), `DELETE {receiver}/{cc}/{pid}`
 * forgets them all. Both go with the partner's token and our routing headers, as pushes do.
 */
export function createLocationsReceiverClient({ us, timeoutMs, pageSize }: LocationsReceiverClientDeps) {
  const partyUrl = (partner: PartnerRecord): string =>
    `${receiverUrl(partner, 'locations')}/${encodeURIComponent(us.countryCode)}/${encodeURIComponent(us.partyId)}`;
  const headers = (partner: PartnerRecord) => outboundRoutingHeaders(us, partner.roles[0]);

  return {
    partyUrl,
    /** Every location the partner stores of ours, page by page (each page handled before the next is asked for). */
    forEachPage(partner: PartnerRecord, onPage: (page: ListPage) => Promise<void>) {
      const call = { url: partyUrl(partner), token: partner.outboundToken!, timeoutMs, pageSize, headers: headers(partner), noun: 'locations' };
      return forEachListPage(call, onPage);
    },
    /** The partner forgets every location it stores of ours. */
    async purge(partner: PartnerRecord): Promise<void> {
      await callPartner({ method: 'DELETE', url: partyUrl(partner), token: partner.outboundToken!, timeoutMs, headers: headers(partner) }, ANY_DATA);
    },
  };
}

export type LocationsReceiverClient = ReturnType<typeof createLocationsReceiverClient>;
