import request from 'supertest';
import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { fullTariffBody, tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ADMIN_TARIFFS, expectNoTariff, storedTariff, tariffAdmin } from './tariff-api';

/** Tariffs, refused input: every schema rule and every rule beyond it answers 400 / 2001 naming the field, and stores nothing. */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof tariffAdmin>;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = tariffAdmin(node);
});
afterEach(async () => {
  await node.close();
});

type Body = Record<string, unknown>;

/** One element with the given price components and restrictions. */
const element = (components: Body[], restrictions?: Body) => ({ price_components: components, ...(restrictions ? { restrictions } : {}) });
const energy = { type: 'ENERGY', price: 0.3, step_size: 1 };
const flat = { type: 'FLAT', price: 1, step_size: 1 };
const withRestrictions = (restrictions: Body) => ({ elements: [element([energy], restrictions)] });
const withComponent = (component: Body) => ({ elements: [element([{ ...energy, ...component }])] });

/** [what is wrong, the body for a tariff `id`, the text the answer must contain to name the field]. */
const CASES: [string, (id: string) => Body, string][] = [
  ['currency in lower case', (id) => tariffBody(id, { currency: 'eur' }), '/currency'],
  ['a four-letter currency', (id) => tariffBody(id, { currency: 'EURO' }), '/currency'],
  ['no currency', (id) => tariffBody(id, { currency: undefined }), '/currency is required'],
  ['an unknown type', (id) => tariffBody(id, { type: 'ADHOC' }), '/type'],
  ['start_time 24:00', (id) => tariffBody(id, withRestrictions({ start_time: '24:00' })), '/elements/0/restrictions/start_time'],
  ['end_time 7:00 (one hour digit)', (id) => tariffBody(id, withRestrictions({ end_time: '7:00' })), '/elements/0/restrictions/end_time'],
  ['start_date in month 13', (id) => tariffBody(id, withRestrictions({ start_date: '2027-13-01' })), '/elements/0/restrictions/start_date'],
  ['start_date 2027-02-30 (matches the pattern, not the calendar)', (id) => tariffBody(id, withRestrictions({ start_date: '2027-02-30' })), '/elements/0/restrictions/start_date must be a calendar date'],
  ['end_date 2027-04-31', (id) => tariffBody(id, withRestrictions({ end_date: '2027-04-31' })), '/elements/0/restrictions/end_date must be a calendar date'],
  ['end_date 2027-02-29 (not a leap year)', (id) => tariffBody(id, withRestrictions({ end_date: '2027-02-29' })), '/elements/0/restrictions/end_date must be a calendar date'],
  ['day_of_week MON', (id) => tariffBody(id, withRestrictions({ day_of_week: ['MON'] })), '/elements/0/restrictions/day_of_week/0'],
  ['day_of_week naming a day twice', (id) => tariffBody(id, withRestrictions({ day_of_week: ['MONDAY', 'MONDAY'] })), '/elements/0/restrictions/day_of_week'],
  ['a reservation restriction on an ENERGY component', (id) => tariffBody(id, { elements: [element([flat, energy], { reservation: 'RESERVATION' })] }), '/elements/0/restrictions/reservation'],
  ['a reservation restriction on a PARKING_TIME component', (id) => tariffBody(id, { elements: [element([{ type: 'PARKING_TIME', price: 2, step_size: 60 }], { reservation: 'RESERVATION_EXPIRES' })] }), '/elements/0/restrictions/reservation'],
  ['a reservation restriction on the second element', (id) => tariffBody(id, { elements: [element([energy]), element([energy], { reservation: 'RESERVATION' })] }), '/elements/1/restrictions/reservation'],
  ['an unknown reservation type', (id) => tariffBody(id, { elements: [element([flat], { reservation: 'BOOKING' })] }), '/elements/0/restrictions/reservation'],
  ['min_price above max_price excl. VAT', (id) => tariffBody(id, { min_price: { excl_vat: 10 }, max_price: { excl_vat: 9.99 } }), '/min_price/excl_vat'],
  ['min_price above max_price incl. VAT', (id) => tariffBody(id, { min_price: { excl_vat: 1, incl_vat: 12.1 }, max_price: { excl_vat: 10, incl_vat: 12 } }), '/min_price/incl_vat'],
  ['a negative min_price', (id) => tariffBody(id, { min_price: { excl_vat: -1 } }), '/min_price/excl_vat'],
  ['end_date_time before start_date_time', (id) => tariffBody(id, { start_date_time: '2027-06-01T00:00:00Z', end_date_time: '2027-05-31T23:59:59Z' }), '/end_date_time'],
  ['end_date_time equal to start_date_time', (id) => tariffBody(id, { start_date_time: '2027-06-01T00:00:00Z', end_date_time: '2027-06-01T00:00:00.000Z' }), '/end_date_time'],
  ['a start_date_time of 30 February', (id) => tariffBody(id, { start_date_time: '2027-02-30T00:00:00Z' }), '/start_date_time must match format'],
  ['an end_date_time at hour 25', (id) => tariffBody(id, { end_date_time: '2027-06-01T25:00:00Z' }), '/end_date_time must match format'],
  ['a last_updated in month 99', (id) => tariffBody(id, { last_updated: '2099-99-99T00:00:00Z' }), '/last_updated must match format'],
  ['a start_date_time with an offset', (id) => tariffBody(id, { start_date_time: '2027-06-01T00:00:00+02:00' }), '/start_date_time'],
  ['empty elements', (id) => tariffBody(id, { elements: [] }), '/elements'],
  ['no elements', (id) => tariffBody(id, { elements: undefined }), '/elements is required'],
  ['an element with no price_components', (id) => tariffBody(id, { elements: [{ restrictions: { min_kwh: 10 } }] }), '/elements/0/price_components is required'],
  ['an element with an empty price_components', (id) => tariffBody(id, { elements: [element([])] }), '/elements/0/price_components'],
  ['an unknown field', (id) => tariffBody(id, { colour: 'green' }), '/colour is not allowed'],
  ['an unknown field in restrictions', (id) => tariffBody(id, withRestrictions({ max_speed: 10 })), '/elements/0/restrictions/max_speed is not allowed'],
  ['an unknown field in a price component', (id) => tariffBody(id, withComponent({ currency: 'EUR' })), '/elements/0/price_components/0/currency is not allowed'],
  ['a negative price', (id) => tariffBody(id, withComponent({ price: -0.01 })), '/elements/0/price_components/0/price'],
  ['a price given as a string', (id) => tariffBody(id, withComponent({ price: '0.30' })), '/elements/0/price_components/0/price'],
  ['step_size 1.5', (id) => tariffBody(id, withComponent({ step_size: 1.5 })), '/elements/0/price_components/0/step_size'],
  ['no step_size', (id) => tariffBody(id, withComponent({ step_size: undefined })), '/elements/0/price_components/0/step_size is required'],
  ['vat above 100', (id) => tariffBody(id, withComponent({ vat: 121 })), '/elements/0/price_components/0/vat'],
  ['an unknown dimension type', (id) => tariffBody(id, withComponent({ type: 'KWH' })), '/elements/0/price_components/0/type'],
  ['tariff_alt_url that is no URL', (id) => tariffBody(id, { tariff_alt_url: 'see our website' }), '/tariff_alt_url'],
  ['tariff_alt_text with a three-letter language', (id) => tariffBody(id, { tariff_alt_text: [{ language: 'eng', text: 'x' }] }), '/tariff_alt_text/0/language'],
  ['a foreign country_code', (id) => tariffBody(id, { country_code: 'DE' }), '/country_code'],
  ['a foreign party_id', (id) => tariffBody(id, { party_id: 'XYZ' }), '/party_id'],
  ['a last_updated that is no DateTime', (id) => tariffBody(id, { last_updated: 'yesterday' }), '/last_updated'],
];

/** Sends the body as JSON as given (undefined fields dropped, as JSON.stringify does). */
const put = (id: string, body: Body) => admin.put(`/${id}`, JSON.parse(JSON.stringify(body)));

describe('a PUT that breaks a rule is refused and stores nothing', () => {
  it.each(CASES)('when a new tariff has %s, then 400 / 2001 naming the field and the tariff is not created', async (_what, body, field) => {
    const res = await put('NEW', body('NEW'));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(field);
    expect(res.body.data).toBeUndefined();
    await expectNoTariff(node, 'NEW');
  });

  it.each(CASES)('when an existing tariff is replaced by one with %s, then 400 / 2001 naming the field and the stored tariff is unchanged', async (_what, body, field) => {
    expectOcpi(await admin.put('/OLD', fullTariffBody('OLD')), 201, 1000, Tariff);
    const before = await storedTariff(node, 'OLD');
    const res = await put('OLD', body('OLD'));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(field);
    expect(await storedTariff(node, 'OLD')).toEqual(before);
  });

  it('when the id in the path differs from the id in the body, then 400 / 2001 naming /id and neither tariff is stored or changed', async () => {
    const mismatch = await put('T1', tariffBody('T2'));
    expectOcpi(mismatch, 400, 2001);
    expect(mismatch.body.status_message).toContain('/id');
    await expectNoTariff(node, 'T1');
    await expectNoTariff(node, 'T2');

    expectOcpi(await admin.put('/T1', tariffBody('T1')), 201, 1000);
    expectOcpi(await admin.put('/T2', tariffBody('T2')), 201, 1000);
    const [t1, t2] = [await storedTariff(node, 'T1'), await storedTariff(node, 'T2')];
    const replace = await put('T1', tariffBody('T2', { currency: 'USD' }));
    expectOcpi(replace, 400, 2001);
    expect(replace.body.status_message).toContain('/id');
    expect(await storedTariff(node, 'T1')).toEqual(t1);
    expect(await storedTariff(node, 'T2')).toEqual(t2);
  });

  it('when the id is longer than 36 characters or empty, then 400 / 2001 naming /id and nothing is stored', async () => {
    const long = 'T'.repeat(37);
    const res = await put(long, tariffBody(long));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain('/id');
    const empty = await put('T1', tariffBody(''));
    expectOcpi(empty, 400, 2001);
    expect(empty.body.status_message).toContain('/id');
    expect(await db.prisma.tariff.count()).toBe(0);
  });

  it('when a body breaks several rules at once, then every broken field is named', async () => {
    const body = tariffBody('NEW', {
      min_price: { excl_vat: 5, incl_vat: 6 },
      max_price: { excl_vat: 4, incl_vat: 5 },
      start_date_time: '2027-06-01T00:00:00Z',
      end_date_time: '2027-01-01T00:00:00Z',
      elements: [element([energy], { start_date: '2027-02-30', reservation: 'RESERVATION' })],
    });
    const res = await put('NEW', body);
    expectOcpi(res, 400, 2001);
    for (const field of ['/min_price/excl_vat', '/min_price/incl_vat', '/end_date_time', '/elements/0/restrictions/start_date', '/elements/0/restrictions/reservation']) {
      expect(res.body.status_message).toContain(field);
    }
    await expectNoTariff(node, 'NEW');
  });

  it('when the body is malformed JSON or not an object, then 400 / 2001 and nothing is stored', async () => {
    const malformed = await request(node.baseUrl)
      .put(`${ADMIN_TARIFFS}/T1`)
      .set('Authorization', `Bearer ${node.adminToken}`)
      .set('Content-Type', 'application/json')
      .send('{"id": "T1", "currency": "EU');
    expectOcpi(malformed, 400, 2001);
    expectOcpi(await put('T1', [tariffBody('T1')] as unknown as Body), 400, 2001);
    await expectNoTariff(node, 'T1');
  });
});

describe('values at the edge of a rule are accepted', () => {
  it('when times, dates and prices sit exactly on their limits, then the tariff is stored', async () => {
    const body = tariffBody('EDGE', {
      min_price: { excl_vat: 10, incl_vat: 12.1 },
      max_price: { excl_vat: 10, incl_vat: 12.1 },
      start_date_time: '2027-06-01T00:00:00Z',
      end_date_time: '2027-06-01T00:00:00.001Z',
      elements: [
        element([{ type: 'TIME', price: 0, vat: 0, step_size: 0 }, { ...flat, vat: 100 }], { reservation: 'RESERVATION', start_time: '00:00', end_time: '23:59' }),
        element([energy], { start_date: '2028-02-29', end_date: '2028-12-31', day_of_week: ['SUNDAY'] }),
      ],
    });
    const res = await put('EDGE', body);
    expectOcpi(res, 201, 1000, Tariff);
    expect(res.body.data.elements).toEqual(body.elements);
  });
});
