import type { PartnerRecord } from '../../../src/modules/credentials/partner.mapper';
import { locationsDeliveryHandler, tariffsNamed } from '../../../src/modules/locations/locations.push';
import { tariffsDeliveryHandler } from '../../../src/modules/tariffs/tariffs.push';
import type { TariffsRepository } from '../../../src/modules/tariffs/tariffs.repository';
import type { LocationStatesRepository } from '../../../src/modules/locations/location-states.repository';
import { missingPrerequisites } from '../../../src/push/batch-plans';

/** What a tariff change becomes at a partner (digest §3.4.2, §4), and what a location's requests need the partner to hold first. */

const US = { countryCode: 'NL', partyId: 'CPO' };
const BASE = 'https://emsp.example.com/ocpi/2.2.1';

function partner(endpoints: string[]): PartnerRecord {
  const now = new Date();
  return {
    id: 'p1', status: 'REGISTERED', versionsUrl: `${BASE}/versions`, ocpiVersion: '2.2.1', roles: [], role: 'EMSP', outboundToken: 'token',
    rowVersion: 1, createdAt: now, updatedAt: now, registeredAt: now,
    endpoints: endpoints.map((identifier) => ({ identifier, role: 'RECEIVER', url: `${BASE}/${identifier}/` })) as PartnerRecord['endpoints'],
  };
}

const tariff = (overrides: Record<string, unknown> = {}) => ({
  country_code: 'NL', party_id: 'CPO', id: 'Tariff-1', currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }], last_updated: '2027-01-01T00:00:00.000Z', ...overrides,
});

const tariffs = tariffsDeliveryHandler({} as TariffsRepository, US);
const URL_T1 = `${BASE}/tariffs/NL/CPO/Tariff-1`;

describe('tariff deliveries', () => {
  it('when the partner has not acknowledged the tariff, then it is PUT whole at its receiver URL (trailing slash dropped)', () => {
    const current = tariff();
    expect(tariffs.plan(partner(['tariffs']), current, undefined, 'TARIFF-1')).toEqual({ requests: [{ method: 'PUT', url: URL_T1, body: current, object: 'tariff Tariff-1' }], state: current });
  });

  it('when it changed since the acknowledged state, then it is PUT whole again (tariffs have no PATCH)', () => {
    const current = tariff({ currency: 'CHF', last_updated: '2027-01-02T00:00:00.000Z' });
    expect(tariffs.plan(partner(['tariffs']), current, tariff(), 'TARIFF-1').requests).toEqual([{ method: 'PUT', url: URL_T1, body: current, object: 'tariff Tariff-1' }]);
  });

  it('when the partner holds exactly the current state, then nothing is sent', () => {
    expect(tariffs.plan(partner(['tariffs']), tariff(), tariff(), 'TARIFF-1')).toEqual({ requests: [], state: tariff() });
  });

  it('when the tariff is gone, then it is DELETEd under the id the partner acknowledged, or else under its key', () => {
    expect(tariffs.plan(partner(['tariffs']), undefined, tariff(), 'TARIFF-1')).toEqual({ requests: [{ method: 'DELETE', url: URL_T1, object: 'tariff Tariff-1' }], state: undefined });
    expect(tariffs.plan(partner(['tariffs']), undefined, undefined, 'TARIFF-1').requests).toEqual([{ method: 'DELETE', url: `${BASE}/tariffs/NL/CPO/TARIFF-1`, object: 'tariff TARIFF-1' }]);
  });

  it('when the partner has no tariffs RECEIVER, then nothing is sent', () => {
    expect(tariffs.plan(partner(['locations']), tariff(), undefined, 'TARIFF-1').requests).toEqual([]);
  });
});

describe('a location delivery requires the tariffs its connectors name', () => {
  const connector = (id: string, tariffIds?: string[]) => ({ id, ...(tariffIds ? { tariff_ids: tariffIds } : {}), last_updated: 'T' });
  const locations = locationsDeliveryHandler({} as LocationStatesRepository, US);
  const location = {
    id: 'L1', last_updated: 'T', evses: [{ uid: 'E1', connectors: [connector('1', ['t1', 'T2']), connector('2', ['T3'])], last_updated: 'T' }],
  };

  it('when a location is PUT, then every tariff of every connector is required, upper-cased and once each', () => {
    const plan = locations.plan(partner(['locations', 'tariffs']), location, undefined, 'L1');
    expect(plan.requires).toEqual({ module: 'tariffs', objectKeys: ['T1', 'T2', 'T3'] });
  });

  it('when only a connector is PATCHed, then only what its body names is required', () => {
    expect(tariffsNamed([{ method: 'PATCH', url: 'u', body: { tariff_ids: ['T9'], last_updated: 'T' }, object: 'c' }])).toEqual(['T9']);
    expect(tariffsNamed([{ method: 'PATCH', url: 'u', body: { status: 'CHARGING', last_updated: 'T' }, object: 'e' }])).toEqual([]);
    expect(tariffsNamed([{ method: 'PUT', url: 'u', body: { uid: 'E1', connectors: [connector('1', ['A']), connector('2')] }, object: 'e' }])).toEqual(['A']);
  });

  it('when the partner holds some of them, then the others are missing; without a tariffs RECEIVER nothing is', () => {
    const plan = locations.plan(partner(['locations', 'tariffs']), location, undefined, 'L1');
    expect(missingPrerequisites(partner(['locations', 'tariffs']), plan, new Set(['p1/tariffs/T2']))).toEqual(['T1', 'T3']);
    expect(missingPrerequisites(partner(['locations']), plan, new Set())).toEqual([]);
  });
});
