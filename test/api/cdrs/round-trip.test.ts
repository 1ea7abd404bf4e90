import { Cdr } from '../../../src/modules/cdrs/cdrs.schema';
import { cdrBody, fullCdrBody } from '../../helpers/cdr-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ManualClock } from '../locations/location-api';
import { cdrAdmin, cdrSender, expectCdrList, registeredEmsp, SPEC_FIELD_ORDER, storeCdr } from './cdr-api';

/** CDRs, data model: every field round-trips through the admin API and the OCPI list, in the spec's field order. */

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof cdrAdmin>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock });
  admin = cdrAdmin(node);
});
afterEach(async () => {
  await node.close();
});

const specOrderOf = (value: object) => SPEC_FIELD_ORDER.filter((field) => field in value);
const reversed = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).reverse());
/** Same content and the same key order at every depth. */
const sameJson = (a: unknown, b: unknown) => expect(JSON.stringify(a)).toBe(JSON.stringify(b));

describe('every field of a CDR round-trips', () => {
  it('when a CDR with every optional field is POSTed, then the answer, the admin GET and its owner\'s OCPI list are identical, with last_updated the creation time', async () => {
    const body = fullCdrBody('CDR-FULL-1');
    const createdAt = clock.iso();
    const post = await admin.post(body);
    expectOcpi(post, 201, 1000, Cdr);
    expect(post.headers.etag).toBe('"1"');
    sameJson(post.body.data, { ...body, last_updated: createdAt });

    const get = await admin.get('/CDR-FULL-1');
    expectOcpi(get, 200, 1000, Cdr);
    expect(get.headers.etag).toBe('"1"');
    sameJson(get.body.data, post.body.data);

    const owner = cdrSender(node, await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' }));
    const list = await owner.list();
    expectCdrList(list);
    expect(list.body.data).toHaveLength(1);
    sameJson(list.body.data[0], post.body.data);
  });

  it('when the body\'s fields come in another order, then they are served in the spec\'s order', async () => {
    const served = await storeCdr(node, reversed(fullCdrBody('CDR-ORDER')));
    expect(Object.keys(served)).toEqual(specOrderOf(served));
    expect(Object.keys(served)).toEqual(SPEC_FIELD_ORDER.filter((f) => !['credit', 'credit_reference_id'].includes(f)));
  });

  it('when country_code and party_id are omitted, then they are ours; a given last_updated is ignored for the creation time', async () => {
    clock.advance(5000);
    const served = await storeCdr(node, cdrBody('CDR-PLAIN', undefined, { last_updated: '2020-01-01T00:00:00Z' }));
    expect(served).toMatchObject({ country_code: 'NL', party_id: 'CPO', id: 'CDR-PLAIN', last_updated: clock.iso() });
    expect(Object.keys(served)).toEqual(specOrderOf(served));
  });

  it('when lower-case country_code/party_id equal ours, then they are accepted and served as ours', async () => {
    const served = await storeCdr(node, cdrBody('CDR-CASE', undefined, { country_code: 'nl', party_id: 'cpo' }));
    expect([served.country_code, served.party_id]).toEqual(['NL', 'CPO']);
  });

  it('when signed values carry 5,000 characters of plain and signed data, then they are stored whole', async () => {
    const big = { nature: 'End', plain_data: 'P'.repeat(5000), signed_data: 'S'.repeat(5000) };
    const body = fullCdrBody('CDR-SIGNED', { signed_data: { encoding_method: 'Alfen Eichrecht', signed_values: [big] } });
    await storeCdr(node, body);
    const get = await admin.get('/CDR-SIGNED');
    expectOcpi(get, 200, 1000, Cdr);
    expect(get.body.data.signed_data).toEqual({ encoding_method: 'Alfen Eichrecht', signed_values: [big] });
  });

  it('when a session_id names no stored session, then the CDR is stored all the same (a CSMS may report CDRs only)', async () => {
    const served = await storeCdr(node, cdrBody('CDR-NO-SESSION', undefined, { session_id: 'NEVER-REPORTED' }));
    expect(served.session_id).toBe('NEVER-REPORTED');
  });
});

describe('GET /admin/cdrs/{id}', () => {
  it('when the id is asked in another case, then the CDR is found (ids are case-insensitive) and keeps its own case', async () => {
    await storeCdr(node, cdrBody('Cdr-Mixed'));
    const res = await admin.get('/CDR-MIXED');
    expectOcpi(res, 200, 1000, Cdr);
    expect(res.body.data.id).toBe('Cdr-Mixed');
  });

  it('when If-None-Match names its ETag, then 304 without a body; another tag gets the CDR', async () => {
    await storeCdr(node, cdrBody('CDR-ETAG'));
    const first = await admin.get('/CDR-ETAG');
    expectOcpi(first, 200, 1000, Cdr);
    const again = await admin.get('/CDR-ETAG', { 'If-None-Match': first.headers.etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expectOcpi(await admin.get('/CDR-ETAG', { 'If-None-Match': '"7"' }), 200, 1000, Cdr);
  });

  it('when the id is unknown or could not be an id, then 404 / 2000 (no data)', async () => {
    for (const path of ['/NOPE', `/${'X'.repeat(40)}`]) {
      const res = await admin.get(path);
      expectOcpi(res, 404, 2000);
      expect(res.body.data).toBeUndefined();
    }
  });

  it('when a partner token asks the admin API, then 401', async () => {
    const partner = await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
    await storeCdr(node, cdrBody('CDR-ADMIN-ONLY'));
    const res = await admin.get('/CDR-ADMIN-ONLY', { Authorization: partner });
    expectOcpi(res, 401, 2000);
  });
});
