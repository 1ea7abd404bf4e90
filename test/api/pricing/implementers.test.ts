import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import { COST_FIELDS, type PricingCase } from '../../unit/pricing/fixtures';
import { implementerCases } from '../../unit/pricing/implementers.cases';
import { startPushNode, type PushNode } from '../push/push-harness';
import { putTariff } from './pricing-api';

/**
 * Tariffs and CDRs published by other implementers (sources and inputs in test/unit/pricing/implementers.cases.ts),
 * stored through the admin API as this CPO's (NL / CPO) and quoted with their CDR's periods: the totals must be the
 * ones they bill, to the cent.
 */

const db = databasePerSuite();
let node: PushNode;

beforeEach(async () => {
  node = await startPushNode(db, { PUSH_ENABLED: 'false' });
});
afterEach(async () => {
  await node.close();
});

const published = (name: string): PricingCase => {
  const found = implementerCases.find((testCase) => testCase.name.startsWith(name));
  if (!found) throw new Error(`no implementer case ${name}`);
  return found;
};

const cases: [string, string, PricingCase][] = [
  ['TD-STEP-SIZE', 'TIME switching at 17:00, then PARKING_TIME: only parking rounded', published('tandemdrive step_size:')],
  ['TD-STEP-SIZE-ENERGY', 'three energy prices by time of day, one step on the total', published('tandemdrive step_size_energy:')],
  ['TD-GRACE-PARKING', 'parking free for the first 30 minutes (min/max_duration), 0 % VAT', published('tandemdrive grace_period_parking_time:')],
  ['TD-3H-5PARKING', 'charging 3.00/h and parking 5.00/h with their own VAT', published('tandemdrive simple_3hour_5parking:')],
  ['HN-STEP-SIZE-AMS', 'the step_size CDR in Amsterdam local time', published('Hamza-nabil v2_2_1 step_size:')],
];

describe('tariffs and CDRs published by other implementers, quoted through the admin API', () => {
  it.each(cases)('%s: %s', async (id, _what, testCase) => {
    const tariff: Record<string, unknown> = { country_code: 'NL', party_id: 'CPO', id, currency: testCase.currency ?? 'EUR', type: 'REGULAR', elements: testCase.elements };
    if (testCase.min_price) tariff.min_price = testCase.min_price;
    if (testCase.max_price) tariff.max_price = testCase.max_price;
    await putTariff(node, tariff);

    const quote = await node.admin.post(`/admin/tariffs/${id}/quote`, {
      start_date_time: testCase.start,
      end_date_time: testCase.end,
      charging_periods: testCase.periods,
      time_zone: testCase.timeZone ?? 'UTC',
    });
    expectOcpi(quote, 200, 1000);
    const fields = ['total_cost', ...COST_FIELDS] as const;
    const billed = Object.fromEntries(fields.filter((field) => field in testCase.expected).map((field) => [field, testCase.expected[field]]));
    expect(quote.body.data).toMatchObject(billed);
    for (const field of COST_FIELDS) if (!(field in testCase.expected)) expect(quote.body.data[field]).toBeUndefined();
  });

  it('bills the tandemdrive step_size CDR 0.55 (their 0.5502); its tariff gives no vat, so no incl_vat is stated', async () => {
    await putTariff(node, { country_code: 'NL', party_id: 'CPO', id: 'TD-STEP-SIZE', currency: 'EUR', elements: published('tandemdrive step_size:').elements });
    const quote = await node.admin.post('/admin/tariffs/TD-STEP-SIZE/quote', {
      start_date_time: '2022-01-13T16:55:00Z',
      end_date_time: '2022-01-13T17:07:00Z',
      charging_periods: [
        { start_date_time: '2022-01-13T16:55:00Z', dimensions: [{ type: 'TIME', volume: 0.0834 }] },
        { start_date_time: '2022-01-13T17:00:00Z', dimensions: [{ type: 'TIME', volume: 0.0834 }] },
        { start_date_time: '2022-01-13T17:02:00Z', dimensions: [{ type: 'PARKING_TIME', volume: 0.0334 }] },
      ],
    });
    expectOcpi(quote, 200, 1000);
    expect(quote.body.data).toEqual({
      total_cost: { excl_vat: 0.55 },
      total_time_cost: { excl_vat: 0.3 },
      total_parking_cost: { excl_vat: 0.25 },
      total_parking_time: 0.0334,
      total_energy: 0,
      total_time: 0.2,
    });
  });
});
