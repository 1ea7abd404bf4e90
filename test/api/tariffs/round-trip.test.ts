import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { fullTariffBody, tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ManualClock, registeredPartner, withoutLastUpdated } from '../locations/location-api';
import { expectTariffList, SPEC_FIELD_ORDER, tariffAdmin, tariffSender } from './tariff-api';

/** Tariffs, data model: every field round-trips through the admin API and the OCPI list, in the spec's field order. */

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof tariffAdmin>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock });
  admin = tariffAdmin(node);
});
afterEach(async () => {
  await node.close();
});

/** The spec's order restricted to the fields `value` has. */
const specOrderOf = (value: object) => SPEC_FIELD_ORDER.filter((field) => field in value);

/** The same keys in the reverse order, at the top level: what the served order must not depend on. */
const reversed = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).reverse());

/** Same content and the same key order at every depth. */
const sameJson = (a: unknown, b: unknown) => expect(JSON.stringify(a)).toBe(JSON.stringify(b));

describe('every field of a Tariff round-trips', () => {
  it('when a tariff with every optional field is PUT, then the admin GET and a partner\'s OCPI list return it identical apart from last_updated', async () => {
    const body = fullTariffBody('FULL-1');
    const writtenAt = clock.iso();
    const put = await admin.put('/FULL-1', body);
    expectOcpi(put, 201, 1000, Tariff);
    sameJson(withoutLastUpdated(put.body.data), body);
    expect(put.body.data.last_updated).toBe(writtenAt);

    const get = await admin.get('/FULL-1');
    expectOcpi(get, 200, 1000, Tariff);
    sameJson(get.body.data, put.body.data);

    const list = await tariffSender(node, await registeredPartner(node)).list();
    expectTariffList(list);
    expect(list.body.data).toHaveLength(1);
    sameJson(list.body.data[0], put.body.data);
  });

  it('when a tariff is served, then its fields come in the spec\'s order, also when the PUT gave them in another order', async () => {
    const put = await admin.put('/FULL-1', reversed(fullTariffBody('FULL-1')));
    expectOcpi(put, 201, 1000, Tariff);
    expect(Object.keys(put.body.data)).toEqual(SPEC_FIELD_ORDER);

    const get = await admin.get('/FULL-1');
    expectOcpi(get, 200, 1000, Tariff);
    expect(Object.keys(get.body.data)).toEqual(SPEC_FIELD_ORDER);

    const list = await tariffSender(node, await registeredPartner(node)).list();
    expectTariffList(list);
    expect(Object.keys(list.body.data[0])).toEqual(SPEC_FIELD_ORDER);
    sameJson(withoutLastUpdated(list.body.data[0]), fullTariffBody('FULL-1'));
  });

  it('when a minimal tariff (id, currency, elements) is PUT, then it is served with our owner fields and last_updated, in the spec\'s order', async () => {
    const minimal = { id: 'MIN-1', currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 0, step_size: 1 }] }] };
    const put = await admin.put('/MIN-1', reversed(minimal));
    expectOcpi(put, 201, 1000, Tariff);
    const expected = { country_code: 'NL', party_id: 'CPO', ...minimal, last_updated: clock.iso() };
    sameJson(put.body.data, expected);
    expect(Object.keys(put.body.data)).toEqual(specOrderOf(expected));

    const get = await admin.get('/MIN-1');
    expectOcpi(get, 200, 1000, Tariff);
    sameJson(get.body.data, expected);
    const list = await tariffSender(node, await registeredPartner(node)).list();
    expectTariffList(list);
    sameJson(list.body.data, [expected]);
  });

  it('when the owner fields are given in lower case, then the tariff is stored and served as NL/CPO', async () => {
    const put = await admin.put('/T1', tariffBody('T1', { country_code: 'nl', party_id: 'cpo' }));
    expectOcpi(put, 201, 1000, Tariff);
    expect(put.body.data).toMatchObject({ country_code: 'NL', party_id: 'CPO' });
    expect((await admin.get('/T1')).body.data).toMatchObject({ country_code: 'NL', party_id: 'CPO' });
  });
});

describe('tariff ids are case-insensitive and keep the case they were created with', () => {
  it('when a tariff created as Night-Rate is read and replaced under other cases, then it is one tariff still called Night-Rate', async () => {
    expectOcpi(await admin.put('/Night-Rate', tariffBody('Night-Rate')), 201, 1000, Tariff);

    const read = await admin.get('/NIGHT-RATE');
    expectOcpi(read, 200, 1000, Tariff);
    expect(read.body.data.id).toBe('Night-Rate');

    clock.advance(60_000);
    const replaced = await admin.put('/night-rate', tariffBody('NIGHT-RATE', { currency: 'USD' }));
    expectOcpi(replaced, 200, 1000, Tariff);
    expect(replaced.body.data).toMatchObject({ id: 'Night-Rate', currency: 'USD' });

    const list = await admin.get('');
    expectTariffList(list);
    expect(list.body.data.map((t: { id: string; currency: string }) => [t.id, t.currency])).toEqual([['Night-Rate', 'USD']]);
    const served = await tariffSender(node, await registeredPartner(node)).list();
    expectTariffList(served);
    expect(served.body.data.map((t: { id: string }) => t.id)).toEqual(['Night-Rate']);
  });
});
