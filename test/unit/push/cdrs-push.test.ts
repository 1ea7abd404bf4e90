import type { PartnerRecord } from '../../../src/modules/credentials/partner.mapper';
import type { CdrForDelivery } from '../../../src/modules/cdrs/cdrs.repository';
import { cdrsDeliveryHandler } from '../../../src/modules/cdrs/cdrs.push';
import type { Logger } from '../../../src/platform/logger';

/** What a CDR becomes at a partner (digest §3.3.2, §4): one POST to the owner's bare receiver URL, until any partner holds a receipt. */

const RECEIVER = 'https://emsp.example.com/ocpi/2.2.1/cdrs';
const RETRY = { maxAttempts: Infinity, maxAgeMs: 604_800_000, giveUpLevel: 'error' } as const;

const partner = (id: string, cc: string, pid: string, receiver = true) => ({
  id, status: 'REGISTERED', roles: [{ role: 'EMSP', country_code: cc, party_id: pid, business_details: { name: 'x' } }],
  endpoints: receiver ? [{ identifier: 'cdrs', role: 'RECEIVER', url: `${RECEIVER}/` }] : [],
}) as unknown as PartnerRecord;

function cdr(receipts: [string, unknown][] = []): CdrForDelivery {
  return {
    record: {
      pk: 1n, id: 'Cdr-1', idKey: 'CDR-1', tokenCountryCode: 'DE', tokenPartyId: 'AAA', creditReferenceKey: null, version: 1,
      data: { country_code: 'NL', party_id: 'CPO', id: 'Cdr-1', cdr_token: { country_code: 'DE', party_id: 'AAA', uid: 'U1', type: 'RFID', contract_id: 'C1' } },
      lastUpdated: new Date('2027-03-02T10:00:00.000Z'),
    },
    receipts: new Map(receipts),
  };
}

const warnings: string[] = [];
const logger = { warn: (message: string) => warnings.push(message), info: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;
const handler = cdrsDeliveryHandler(async () => [], RETRY, logger);

describe('CDR delivery plans', () => {
  it('when the owner holds no receipt, then the CDR is POSTed whole to its receiver URL (no ids in it), with last_updated', () => {
    const plan = handler.plan(partner('p1', 'de', 'aaa'), cdr(), undefined, 'CDR-1');
    expect(plan.requests).toEqual([{ method: 'POST', url: RECEIVER, body: { ...cdr().record.data, last_updated: '2027-03-02T10:00:00.000Z' }, object: 'cdr Cdr-1' }]);
    expect(plan.receipt!([{ location: `${RECEIVER}/7` }])).toEqual({ location: `${RECEIVER}/7` });
  });

  it('when the owner answers without a Location, then its receipt says so and a warning is logged', () => {
    const plan = handler.plan(partner('p1', 'DE', 'AAA'), cdr(), undefined, 'CDR-1');
    expect(plan.receipt!([{ location: undefined }])).toEqual({ location: null });
    expect(warnings).toContain('cdr accepted without a Location header');
  });

  it('when this partner holds a receipt, then nothing is sent and the receipt stays as it is', () => {
    const receipt = { location: `${RECEIVER}/1` };
    expect(handler.plan(partner('p1', 'DE', 'AAA'), cdr([['p1', receipt]]), undefined, 'CDR-1')).toEqual({ requests: [], state: receipt });
  });

  it('when another partner row of the party holds a receipt (an earlier registration), then nothing is sent', () => {
    expect(handler.plan(partner('p2', 'DE', 'AAA'), cdr([['p1', { location: null }]]), undefined, 'CDR-1')).toEqual({ requests: [], state: undefined });
  });

  it('when the partner is not the owner, or has no cdrs RECEIVER, then nothing is sent', () => {
    expect(handler.plan(partner('p3', 'DE', 'BBB'), cdr(), undefined, 'CDR-1').requests).toEqual([]);
    expect(handler.plan(partner('p1', 'DE', 'AAA', false), cdr(), undefined, 'CDR-1').requests).toEqual([]);
  });

  it('then the module retries by its own policy', () => {
    expect(handler.retry).toEqual(RETRY);
  });
});
