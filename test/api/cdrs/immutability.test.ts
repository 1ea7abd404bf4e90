import request from 'supertest';
import { Cdr } from '../../../src/modules/cdrs/cdrs.schema';
import { cdrBody, fullCdrBody } from '../../helpers/cdr-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { CDRS, cdrAdmin, registeredEmsp, storeCdr, storedCount } from './cdr-api';

/** CDRs are immutable once stored: the same id again is a conflict, and nothing replaces, changes or removes one. */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof cdrAdmin>;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = cdrAdmin(node);
});
afterEach(async () => {
  await node.close();
});

describe('the same id again', () => {
  it('when a CDR id is POSTed again, with other data or in another case, then 409 / 2000 and the stored CDR is unchanged', async () => {
    const stored = await storeCdr(node, fullCdrBody('CDR-1'));
    for (const again of [fullCdrBody('CDR-1'), fullCdrBody('CDR-1', { total_energy: 99 }), cdrBody('cdr-1')]) {
      const res = await admin.post(again);
      expectOcpi(res, 409, 2000);
      expect(res.body.status_message).toMatch(/already exists.*immutable/);
      expect(res.body.data).toBeUndefined();
    }
    const get = await admin.get('/CDR-1');
    expectOcpi(get, 200, 1000, Cdr);
    expect(get.body.data).toEqual(stored);
    expect(await storedCount(node)).toBe(1);
  });

  it('when the same id is POSTed 8 times at once, then exactly one is stored (201) and the others answer 409', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => admin.post(cdrBody('RACE-1', undefined, { total_energy: i + 1 }))));
    const created = answers.filter((res) => res.status === 201);
    expect(created).toHaveLength(1);
    expectOcpi(created[0]!, 201, 1000, Cdr);
    for (const res of answers.filter((r) => r.status !== 201)) expectOcpi(res, 409, 2000);
    expect(await storedCount(node)).toBe(1);
    const get = await admin.get('/RACE-1');
    expectOcpi(get, 200, 1000, Cdr);
    expect(get.body.data.total_energy).toBe(created[0]!.body.data.total_energy);
  });
});

describe('no method changes a CDR', () => {
  it.each(['put', 'patch', 'delete'] as const)('when %s is sent to /admin/cdrs/{id}, then 405 with Allow: GET, and the CDR is unchanged', async (method) => {
    const stored = await storeCdr(node, cdrBody('CDR-2'));
    const res = await admin.call(method, '/CDR-2', { 'If-Match': '"1"' }).send(cdrBody('CDR-2', undefined, { total_energy: 1 }));
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET');
    const get = await admin.get('/CDR-2');
    expectOcpi(get, 200, 1000, Cdr);
    expect(get.body.data).toEqual(stored);
  });

  it.each(['put', 'patch', 'delete'] as const)('when %s is sent to /admin/cdrs, then 405 with Allow: GET, POST', async (method) => {
    const res = await admin.call(method, '', {}).send(cdrBody('CDR-3'));
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET, POST');
    expect(await storedCount(node)).toBe(0);
  });

  it('when a partner POSTs, PUTs, PATCHes or DELETEs the OCPI cdrs endpoint, then 405 with Allow: GET (a CPO is only the SENDER)', async () => {
    const partner = await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const res = await request(node.baseUrl)[method](CDRS).set('Authorization', partner).send(cdrBody('CDR-4'));
      expectOcpi(res, 405, 2000);
      expect(res.headers.allow).toBe('GET');
    }
    expect(await storedCount(node)).toBe(0);
  });

  it('when a partner GETs one CDR by id on the OCPI side, then 404 (OCPI has no such endpoint on the sender side)', async () => {
    const partner = await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
    await storeCdr(node, cdrBody('CDR-5'));
    const res = await request(node.baseUrl).get(`${CDRS}/CDR-5`).set('Authorization', partner);
    expectOcpi(res, 404, 2000);
    expect(res.body.data).toBeUndefined();
  });
});
