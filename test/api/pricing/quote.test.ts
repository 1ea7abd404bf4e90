import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import { startPushNode, type PushNode } from '../push/push-harness';
import { period, putTariff, simpleTariff } from './pricing-api';

/** POST /admin/tariffs/{id}/quote: what given periods cost under a stored tariff (issue 11 item 2). */

const db = databasePerSuite();
let node: PushNode;

beforeEach(async () => {
  node = await startPushNode(db, { PUSH_ENABLED: 'false' });
  await putTariff(node, simpleTariff('T1'));
});
afterEach(async () => {
  await node.close();
});

const QUOTE = { start_date_time: '2027-03-02T10:00:00Z', end_date_time: '2027-03-02T11:00:00Z', charging_periods: [period('2027-03-02T10:00:00Z', 10, 1)], time_zone: 'Europe/Amsterdam' };

describe('quotes', () => {
  it('when periods are quoted under a stored tariff, then the answer holds the CDR cost fields, VAT included', async () => {
    const res = await node.admin.post('/admin/tariffs/t1/quote', QUOTE);
    expectOcpi(res, 200, 1000);
    expect(res.body.data).toMatchObject({
      total_cost: { excl_vat: 4, incl_vat: 4.8 },
      total_fixed_cost: { excl_vat: 1, incl_vat: 1.2 },
      total_energy: 10,
      total_energy_cost: { excl_vat: 3, incl_vat: 3.6 },
      total_time: 1,
    });
  });

  it('when the tariff is unknown, then 404; when the body or its time zone is invalid, then 400; a GET is 405', async () => {
    expectOcpi(await node.admin.post('/admin/tariffs/NOPE/quote', QUOTE), 404, 2000);
    expectOcpi(await node.admin.post('/admin/tariffs/T1/quote', { ...QUOTE, charging_periods: 'none' }), 400, 2001);
    expectOcpi(await node.admin.post('/admin/tariffs/T1/quote', { ...QUOTE, extra: true }), 400, 2001);
    const zone = await node.admin.post('/admin/tariffs/T1/quote', { ...QUOTE, time_zone: 'Mars/Olympus_Mons' });
    expectOcpi(zone, 400, 2001);
    expect(zone.body.status_message).toMatch(/Mars\/Olympus_Mons/);
    expectOcpi(await node.admin.get('/admin/tariffs/T1/quote'), 405, 2000);
  });
});
