import { fullTariffBody } from './tariff-factory';

/** Valid admin bodies for CDRs; override what a test is about. */

/** An OCMF-like signed value: plain data and a base64 signature, both well below the 5,000-character limit. */
const signedValue = (nature: string, meter: number) => ({
  nature,
  plain_data: `OCMF|{"FV":"1.0","GI":"ABL SBC-301","GS":"808829900001","PG":"T1","MV":"Phoenix Contact","RD":[{"TM":"2027-03-02T08:00:00,000+0000 S","TX":"${nature === 'Start' ? 'B' : 'E'}","RV":${meter},"RI":"1-b:1.8.0","RU":"kWh","ST":"G"}]}`,
  signed_data: Buffer.from(`signature-of-${nature}-${meter}`).toString('base64'),
});

/**
 * A realistic finished CDR with every optional field set: a DC session at a fast charger with a start fee,
 * energy and parking price components (the full tariff), four charging periods and Eichrecht signed data.
 */
export function fullCdrBody(id: string, overrides: Record<string, unknown> = {}) {
  return {
    country_code: 'NL',
    party_id: 'CPO',
    id,
    start_date_time: '2027-03-02T08:00:00Z',
    end_date_time: '2027-03-02T10:30:00Z',
    session_id: `S-${id}`,
    cdr_token: { country_code: 'DE', party_id: 'AAA', uid: '012345678', type: 'RFID', contract_id: 'DE-AAA-C12345678-X' },
    auth_method: 'WHITELIST',
    authorization_reference: 'AUTH-REF-001',
    cdr_location: {
      id: 'LOC1',
      name: 'Gent Zuid',
      address: 'F.Rooseveltlaan 3A',
      city: 'Gent',
      postal_code: '9000',
      state: 'Oost-Vlaanderen',
      country: 'BEL',
      coordinates: { latitude: '51.047599', longitude: '3.729944' },
      evse_uid: '3256',
      evse_id: 'BE*BEC*E041503003',
      connector_id: '1',
      connector_standard: 'IEC_62196_T2_COMBO',
      connector_format: 'CABLE',
      connector_power_type: 'DC',
    },
    meter_id: 'METER-0001',
    currency: 'EUR',
    tariffs: [{ ...fullTariffBody('TARIFF-1'), last_updated: '2027-02-01T00:00:00Z' }],
    charging_periods: [
      { start_date_time: '2027-03-02T08:00:00Z', dimensions: [{ type: 'ENERGY', volume: 20 }, { type: 'TIME', volume: 0.5 }, { type: 'MAX_POWER', volume: 50 }], tariff_id: 'TARIFF-1' },
      { start_date_time: '2027-03-02T08:30:00Z', dimensions: [{ type: 'ENERGY', volume: 15.5 }, { type: 'TIME', volume: 0.5 }, { type: 'MIN_POWER', volume: 22 }], tariff_id: 'TARIFF-1' },
      { start_date_time: '2027-03-02T09:00:00Z', dimensions: [{ type: 'ENERGY', volume: 4.5 }, { type: 'TIME', volume: 0.5 }, { type: 'MAX_CURRENT', volume: 32 }, { type: 'MIN_CURRENT', volume: 6 }], tariff_id: 'TARIFF-1' },
      { start_date_time: '2027-03-02T09:30:00Z', dimensions: [{ type: 'PARKING_TIME', volume: 1 }] },
    ],
    signed_data: {
      encoding_method: 'OCMF',
      encoding_method_version: 1,
      public_key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7Y9Xq3Xo1Zb6Gx2ZxYk4m1w0M6s9v4nXQ==',
      signed_values: [signedValue('Start', 1000.123), signedValue('End', 1040.123)],
      url: 'https://cpo.example.com/transparency/CDR',
    },
    total_cost: { excl_vat: 18.25, incl_vat: 22.08 },
    total_fixed_cost: { excl_vat: 2.5, incl_vat: 3.03 },
    total_energy: 40,
    total_energy_cost: { excl_vat: 10, incl_vat: 12.1 },
    total_time: 2.5,
    total_time_cost: { excl_vat: 0.75, incl_vat: 0.91 },
    total_parking_time: 1,
    total_parking_cost: { excl_vat: 5, incl_vat: 6.05 },
    total_reservation_cost: { excl_vat: 0, incl_vat: 0 },
    remark: 'Stopped by the driver',
    invoice_reference_id: 'INV-2027-0001',
    home_charging_compensation: false,
    ...overrides,
  };
}

/** A plain CDR (required fields only) of the token party `country_code`/`party_id`. */
export function cdrBody(id: string, owner: { countryCode: string; partyId: string } = { countryCode: 'DE', partyId: 'AAA' }, overrides: Record<string, unknown> = {}) {
  return {
    id,
    start_date_time: '2027-03-02T08:00:00Z',
    end_date_time: '2027-03-02T09:00:00Z',
    cdr_token: { country_code: owner.countryCode, party_id: owner.partyId, uid: `U-${id}`.slice(0, 36), type: 'APP_USER', contract_id: `${owner.countryCode}-${owner.partyId}-${id}`.slice(0, 36) },
    auth_method: 'COMMAND',
    cdr_location: fullCdrBody(id).cdr_location,
    currency: 'EUR',
    charging_periods: [{ start_date_time: '2027-03-02T08:00:00Z', dimensions: [{ type: 'ENERGY', volume: 11 }] }],
    total_cost: { excl_vat: 4.4, incl_vat: 5.32 },
    total_energy: 11,
    total_time: 1,
    ...overrides,
  };
}

/** The credit CDR of `original` (a body): new id `<id>-C`, negated costs, `credit` and its reference. */
export function creditBody(original: Record<string, any>, overrides: Record<string, unknown> = {}) {
  const negate = (price: { excl_vat: number; incl_vat?: number } | undefined) =>
    price && { excl_vat: -price.excl_vat, ...(price.incl_vat !== undefined ? { incl_vat: -price.incl_vat } : {}) };
  const credit: Record<string, unknown> = { ...original, id: `${original.id}-C`, credit: true, credit_reference_id: original.id };
  for (const field of ['total_cost', 'total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost']) {
    if (original[field] !== undefined) credit[field] = negate(original[field]);
  }
  return { ...credit, ...overrides };
}
