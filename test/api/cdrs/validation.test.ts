import { cdrBody, creditBody, fullCdrBody } from '../../helpers/cdr-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { cdrAdmin, storeCdr, storedCount } from './cdr-api';

/** CDRs, invalid bodies: 400 / 2001 naming the field, and nothing stored. */

const db = databasePerSuite();
let node: TestApp;

beforeEach(async () => {
  node = await startTestApp(db);
});
afterEach(async () => {
  await node.close();
});

const full = fullCdrBody('BAD');
const period = (start: string, dimensions: unknown[] = [{ type: 'ENERGY', volume: 1 }], extra: Record<string, unknown> = {}) => ({ start_date_time: start, dimensions, ...extra });
const without = (field: string) => Object.fromEntries(Object.entries(full).filter(([key]) => key !== field));

/** [case, body, a fragment of the status_message naming the field] */
const CASES: [string, unknown, string][] = [
  ['cdr_location missing', without('cdr_location'), 'cdr_location'],
  ['cdr_token missing', without('cdr_token'), 'cdr_token'],
  ['cdr_token without party_id', { ...full, cdr_token: { ...full.cdr_token, party_id: undefined } }, 'party_id'],
  ['charging_periods empty', { ...full, charging_periods: [] }, 'charging_periods'],
  ['charging_periods missing', without('charging_periods'), 'charging_periods'],
  ['a period without dimensions', { ...full, charging_periods: [period('2027-03-02T08:00:00Z', [])] }, 'dimensions'],
  ['an unknown dimension type', { ...full, charging_periods: [period('2027-03-02T08:00:00Z', [{ type: 'VOLTAGE', volume: 1 }])] }, 'type'],
  ['a Session-only dimension (STATE_OF_CHARGE)', { ...full, charging_periods: [period('2027-03-02T08:00:00Z', [{ type: 'STATE_OF_CHARGE', volume: 80 }])] }, '/charging_periods/0/dimensions/0/type'],
  ['a period before the CDR starts', { ...full, charging_periods: [period('2027-03-02T07:59:59Z')] }, '/charging_periods/0/start_date_time'],
  ['a period after the CDR ends', { ...full, charging_periods: [period('2027-03-02T08:00:00Z'), period('2027-03-02T10:30:01Z')] }, '/charging_periods/1/start_date_time'],
  ['periods out of order', { ...full, charging_periods: [period('2027-03-02T09:00:00Z'), period('2027-03-02T08:00:00Z')] }, '/charging_periods/1/start_date_time'],
  ['a period naming a tariff the CDR does not carry', { ...full, charging_periods: [period('2027-03-02T08:00:00Z', undefined, { tariff_id: 'OTHER' })] }, '/charging_periods/0/tariff_id'],
  ['end before start', { ...full, end_date_time: '2027-03-02T07:00:00Z' }, '/end_date_time'],
  ['an offset DateTime', { ...full, end_date_time: '2027-03-02T10:30:00+01:00' }, 'end_date_time'],
  ['negative total_cost in a normal CDR', { ...full, total_cost: { excl_vat: -1 } }, '/total_cost/excl_vat'],
  ['negative incl_vat of total_parking_cost', { ...full, total_parking_cost: { excl_vat: 1, incl_vat: -1 } }, '/total_parking_cost/incl_vat'],
  ['negative total_energy', { ...full, total_energy: -1 }, '/total_energy'],
  ['negative total_time', { ...full, total_time: -0.5 }, '/total_time'],
  ['parking time above total time', { ...full, total_parking_time: 3 }, '/total_parking_time'],
  ['total_cost missing', without('total_cost'), 'total_cost'],
  ['credit without credit_reference_id', { ...full, credit: true, total_cost: { excl_vat: -1 } }, '/credit_reference_id'],
  ['credit_reference_id without credit', { ...full, credit_reference_id: 'X' }, '/credit_reference_id'],
  ['a credit of itself', { ...creditBody(full), credit_reference_id: 'BAD-C' }, '/credit_reference_id'],
  ['a positive amount in a credit CDR', creditBody(full, { total_cost: { excl_vat: 1 } }), '/total_cost/excl_vat'],
  ['a normal id of 37 characters', cdrBody('X'.repeat(37)), '/id'],
  ['an id of 40 characters', creditBody(cdrBody('X'.repeat(37))), 'id'],
  ['plain_data over 5,000 characters', { ...full, signed_data: { encoding_method: 'OCMF', signed_values: [{ nature: 'End', plain_data: 'P'.repeat(5001), signed_data: 'S' }] } }, 'plain_data'],
  ['signed_data over 5,000 characters', { ...full, signed_data: { encoding_method: 'OCMF', signed_values: [{ nature: 'End', plain_data: 'P', signed_data: 'S'.repeat(5001) }] } }, 'signed_data'],
  ['signed_data without signed values', { ...full, signed_data: { encoding_method: 'OCMF', signed_values: [] } }, 'signed_values'],
  ['an address of 46 characters (CdrLocation keeps 45)', { ...full, cdr_location: { ...full.cdr_location, address: 'A'.repeat(46) } }, 'address'],
  ['an alpha-2 country in cdr_location', { ...full, cdr_location: { ...full.cdr_location, country: 'BE' } }, 'country'],
  ['a tariff without last_updated', { ...full, tariffs: [{ ...full.tariffs[0], last_updated: undefined }] }, 'last_updated'],
  ['a tariff breaking a tariff rule', { ...full, tariffs: [{ ...full.tariffs[0], min_price: { excl_vat: 100 } }] }, '/tariffs/0/min_price/excl_vat'],
  ['a tariff twice', { ...full, tariffs: [full.tariffs[0], full.tariffs[0]] }, '/tariffs/1/id'],
  ['an unknown field', { ...full, colour: 'red' }, 'colour'],
  ['another country_code', { ...full, country_code: 'DE' }, '/country_code'],
  ['another party_id', { ...full, party_id: 'XYZ' }, '/party_id'],
  ['a string amount (bodies are never coerced)', { ...full, total_energy: '40' }, 'total_energy'],
  ['an unknown auth_method', { ...full, auth_method: 'RFID' }, 'auth_method'],
  ['a remark with a newline', { ...full, remark: 'a\nb' }, 'remark'],
];

describe('POST /admin/cdrs refuses what the spec does not allow', () => {
  it.each(CASES)('when %s, then 400 / 2001 naming the field, and nothing is stored', async (_case, body, field) => {
    const res = await cdrAdmin(node).post(body);
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(field);
    expect(res.body.data).toBeUndefined();
    expect(await storedCount(node)).toBe(0);
  });

  it('when the body is not JSON, then 400 / 2001', async () => {
    const res = await cdrAdmin(node).call('post', '', { 'Content-Type': 'application/json' }).send('{"id":');
    expectOcpi(res, 400, 2001);
    expect(await storedCount(node)).toBe(0);
  });

  it('when start equals end (the spec\'s 1970 placeholder for missing times), then the CDR is accepted', async () => {
    const at = '1970-01-01T00:00:00Z';
    await storeCdr(node, cdrBody('PLACEHOLDER', undefined, { start_date_time: at, end_date_time: at, charging_periods: [period(at)] }));
  });
});
