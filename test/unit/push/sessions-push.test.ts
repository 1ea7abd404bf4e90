import type { PartnerRecord } from '../../../src/modules/credentials/partner.mapper';
import { holdsParty } from '../../../src/modules/credentials/partner.mapper';
import { sessionRequests, sessionsDeliveryHandler } from '../../../src/modules/sessions/sessions.push';

/** What a session's change becomes at its owner (digest §4, session rows), as pure input and output. */

const URL = 'https://emsp.example.com/ocpi/2.2.1/sessions/NL/CPO/S1';
const period = (start: string, kwh: number) => ({ start_date_time: start, dimensions: [{ type: 'ENERGY', volume: kwh }] });
const P1 = period('2027-01-01T10:00:00Z', 1.5);
const P2 = period('2027-01-01T10:15:00Z', 2.5);
const P3 = period('2027-01-01T10:30:00Z', 3.5);

function session(overrides: Record<string, unknown> = {}) {
  return {
    country_code: 'NL', party_id: 'CPO', id: 'S1', start_date_time: '2027-01-01T10:00:00Z', kwh: 1.5,
    cdr_token: { country_code: 'DE', party_id: 'AAA', uid: 'TOKEN1', type: 'RFID', contract_id: 'DE-AAA-C1' },
    auth_method: 'WHITELIST', location_id: 'L1', evse_uid: 'E1', connector_id: '1', currency: 'EUR',
    charging_periods: [P1], status: 'ACTIVE', last_updated: '2027-01-01T10:15:00.000Z', ...overrides,
  };
}

describe('session requests', () => {
  it('when the owner has not acknowledged the session, then it is PUT whole', () => {
    const current = session();
    expect(sessionRequests(URL, undefined, current)).toEqual([{ method: 'PUT', url: URL, body: current, object: 'session S1' }]);
  });

  it('when periods were added, then a PATCH carries only the new periods, the changed fields and last_updated', () => {
    const current = session({ kwh: 3.5, charging_periods: [P1, P2, P3], last_updated: 'T2' });
    expect(sessionRequests(URL, session(), current)).toEqual([
      { method: 'PATCH', url: URL, body: { kwh: 3.5, charging_periods: [P2, P3], last_updated: 'T2' }, object: 'session S1' },
    ]);
  });

  it('when the session completes, then the PATCH carries status, end_date_time and last_updated', () => {
    const current = session({ status: 'COMPLETED', end_date_time: '2027-01-01T11:00:00Z', last_updated: 'T3' });
    expect(sessionRequests(URL, session(), current)[0]!.body).toEqual({ end_date_time: '2027-01-01T11:00:00Z', status: 'COMPLETED', last_updated: 'T3' });
  });

  it('when the periods the owner holds were replaced or a field was removed, then the whole session is PUT', () => {
    expect(sessionRequests(URL, session({ charging_periods: [P1, P2] }), session({ charging_periods: [P1, P3] }))[0]!.method).toBe('PUT');
    expect(sessionRequests(URL, session({ charging_periods: [P1, P2] }), session({ charging_periods: [P1] }))[0]!.method).toBe('PUT');
    expect(sessionRequests(URL, session({ meter_id: 'M1' }), session())[0]!.method).toBe('PUT');
  });

  it('when the owner holds exactly the current session, then nothing is sent', () => {
    expect(sessionRequests(URL, session(), session())).toEqual([]);
  });
});

describe('the owner rule', () => {
  const partner = (cc: string, pid: string) => ({
    id: 'p', status: 'REGISTERED', roles: [{ role: 'EMSP', country_code: cc, party_id: pid, business_details: { name: 'x' } }],
    endpoints: [{ identifier: 'sessions', role: 'RECEIVER', url: 'https://emsp.example.com/ocpi/2.2.1/sessions' }],
  }) as unknown as PartnerRecord;
  const handler = sessionsDeliveryHandler(async () => new Map(), { countryCode: 'NL', partyId: 'CPO' });

  it('when the partner holds the token party (in any case), then it owns the session; another party does not', () => {
    expect(holdsParty(partner('de', 'aaa'), { country_code: 'DE', party_id: 'AAA' })).toBe(true);
    expect(holdsParty(partner('DE', 'BBB'), { country_code: 'DE', party_id: 'AAA' })).toBe(false);
  });

  it('when a delivery reaches a partner that is not the owner, then nothing is sent to it', () => {
    expect(handler.plan(partner('DE', 'BBB'), session(), undefined, 'S1').requests).toEqual([]);
    expect(handler.plan(partner('DE', 'AAA'), session(), undefined, 'S1').requests).toEqual([{ method: 'PUT', url: URL, body: session(), object: 'session S1' }]);
  });
});
