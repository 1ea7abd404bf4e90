import request from 'supertest';
import { connectorBody, evseBody, locationBody } from './location-factory';
import type { TestApp } from './test-app';

/** Valid admin bodies for sessions; override what a test is about. The place is made by `putSessionPlace`. */

export const PLACE = { location_id: 'LOC-1', evse_uid: 'LOC-1-E1', connector_id: '1' } as const;

export function cdrToken(countryCode = 'DE', partyId = 'AAA', overrides: Record<string, unknown> = {}) {
  return { country_code: countryCode, party_id: partyId, uid: `${partyId}-RFID-1`, type: 'RFID', contract_id: `${countryCode}-${partyId}-C12345678-X`, ...overrides };
}

export function chargingPeriod(start: string, kwh = 1.5, overrides: Record<string, unknown> = {}) {
  return { start_date_time: start, dimensions: [{ type: 'ENERGY', volume: kwh }], ...overrides };
}

export function sessionBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    start_date_time: '2026-03-01T10:00:00Z',
    kwh: 0,
    cdr_token: cdrToken(),
    auth_method: 'WHITELIST',
    ...PLACE,
    currency: 'EUR',
    status: 'ACTIVE',
    ...overrides,
  };
}

/** A session with every optional OCPI 2.2.1 field set, every dimension type among its periods. */
export function fullSessionBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    country_code: 'NL',
    party_id: 'CPO',
    id,
    start_date_time: '2026-03-01T10:00:00Z',
    end_date_time: '2026-03-01T12:30:00.123Z',
    kwh: 42.125,
    cdr_token: cdrToken('DE', 'AAA', { type: 'APP_USER' }),
    auth_method: 'AUTH_REQUEST',
    authorization_reference: 'AUTH-REF-0001',
    ...PLACE,
    meter_id: 'METER-Ω-42',
    currency: 'EUR',
    charging_periods: [
      {
        start_date_time: '2026-03-01T10:00:00Z',
        dimensions: [
          { type: 'ENERGY', volume: 20.5 }, { type: 'TIME', volume: 1.25 }, { type: 'CURRENT', volume: 16 }, { type: 'ENERGY_EXPORT', volume: 0 },
          { type: 'ENERGY_IMPORT', volume: 20.5 }, { type: 'MAX_CURRENT', volume: 32 }, { type: 'MIN_CURRENT', volume: -2 }, { type: 'MAX_POWER', volume: 22 },
          { type: 'MIN_POWER', volume: 0 }, { type: 'POWER', volume: 11.2 }, { type: 'STATE_OF_CHARGE', volume: 80 },
        ],
        tariff_id: 'AC-STANDARD',
      },
      { start_date_time: '2026-03-01T11:15:00', dimensions: [{ type: 'PARKING_TIME', volume: 0.5 }, { type: 'RESERVATION_TIME', volume: 0.25 }] },
    ],
    total_cost: { excl_vat: 12.34, incl_vat: 14.93 },
    status: 'COMPLETED',
    last_updated: '2026-03-01T12:30:00Z',
    ...overrides,
  };
}

/**
 * Creates the location LOC-1 (as the operator would): EVSE LOC-1-E1 accepts charging preferences and its
 * connector 1 names `tariffIds`; EVSE LOC-1-E2 does not accept them.
 */
export async function putSessionPlace(node: TestApp, tariffIds: string[] = []): Promise<void> {
  const capable = evseBody('LOC-1-E1', {
    capabilities: ['RFID_READER', 'CHARGING_PREFERENCES_CAPABLE'],
    connectors: [connectorBody('1', tariffIds.length > 0 ? { tariff_ids: tariffIds } : {}), connectorBody('2')],
  });
  const res = await request(node.baseUrl).put('/admin/locations/LOC-1').set('Authorization', `Bearer ${node.adminToken}`)
    .send(locationBody('LOC-1', { evses: [capable, evseBody('LOC-1-E2')] }));
  if (res.status !== 201 && res.status !== 200) throw new Error(`location LOC-1: ${res.status} ${JSON.stringify(res.body)}`);
}
