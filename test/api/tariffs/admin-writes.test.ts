import request from 'supertest';
import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { registeredPartner, registrationToken } from '../locations/location-api';
import { ADMIN_TARIFFS, expectNoTariff, storedTariff, tariffAdmin } from './tariff-api';

/** Tariffs, the admin write API: PUT creates or replaces, DELETE removes and answers with what it removed; nothing else. */

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

describe('PUT and DELETE', () => {
  it('when a tariff is PUT twice, then 201 the first time and 200 the second, and GET returns what the PUT answered', async () => {
    const created = await admin.put('/T1', tariffBody('T1'));
    expectOcpi(created, 201, 1000, Tariff);
    expect(created.body.data).toMatchObject({ country_code: 'NL', party_id: 'CPO', id: 'T1', currency: 'EUR' });
    expect((await storedTariff(node, 'T1')).data).toEqual(created.body.data);

    const replaced = await admin.put('/T1', tariffBody('T1', { type: 'PROFILE_GREEN' }));
    expectOcpi(replaced, 200, 1000, Tariff);
    expect(replaced.body.data.type).toBe('PROFILE_GREEN');
    expect((await storedTariff(node, 'T1')).data).toEqual(replaced.body.data);
  });

  it('when a PUT leaves out an optional field the stored tariff had, then the field is gone (PUT replaces the whole tariff)', async () => {
    expectOcpi(await admin.put('/T1', tariffBody('T1', { tariff_alt_url: 'https://cpo.example.com/t1' })), 201, 1000);
    const { type: _type, ...withoutType } = tariffBody('T1');
    const put = await admin.put('/T1', withoutType);
    expectOcpi(put, 200, 1000, Tariff);
    const { data } = await storedTariff(node, 'T1');
    expect(data).not.toHaveProperty('tariff_alt_url');
    expect(data).not.toHaveProperty('type');
  });

  it('when a tariff is DELETEd, then 200 with the deleted tariff and its ETag; afterwards GET and DELETE answer 404 / 2000', async () => {
    expectOcpi(await admin.put('/T1', tariffBody('T1')), 201, 1000);
    expectOcpi(await admin.put('/T2', tariffBody('T2')), 201, 1000);
    const before = await storedTariff(node, 'T1');

    const deleted = await admin.delete('/t1');
    expectOcpi(deleted, 200, 1000, Tariff);
    expect(deleted.body.data).toEqual(before.data);
    expect(deleted.headers.etag).toBe(before.etag);

    await expectNoTariff(node, 'T1');
    expectOcpi(await admin.delete('/T1'), 404, 2000);
    expect((await storedTariff(node, 'T2')).data.id).toBe('T2');
    expect(await db.prisma.tariff.count()).toBe(1);
  });

  it('when an unknown tariff is read or deleted, then 404 / 2000 naming it', async () => {
    const get = await admin.get('/NOPE');
    expectOcpi(get, 404, 2000);
    expect(get.body.status_message).toContain('NOPE');
    expectOcpi(await admin.delete('/NOPE'), 404, 2000);
  });

  it('when the id in the path could not be a tariff id (a NUL byte, 37 characters, non-ASCII), then GET and DELETE answer 404 / 2000, never a server error', async () => {
    expectOcpi(await admin.put('/T1', tariffBody('T1')), 201, 1000);
    for (const path of ['/T1%00', '/%00', `/${'T'.repeat(37)}`, '/T%C3%A91']) {
      expectOcpi(await admin.get(path), 404, 2000);
      expectOcpi(await admin.delete(path), 404, 2000);
      expectOcpi(await admin.put(path, tariffBody('T1')), 400, 2001);
    }
    expect((await storedTariff(node, 'T1')).etag).toBe('"1"');
  });

  it('when a deleted tariff is PUT again, then it is created anew: 201 with ETag "1"', async () => {
    expectOcpi(await admin.put('/T1', tariffBody('T1')), 201, 1000);
    expectOcpi(await admin.put('/T1', tariffBody('T1', { currency: 'USD' })), 200, 1000);
    expectOcpi(await admin.delete('/T1'), 200, 1000, Tariff);
    const again = await admin.put('/T1', tariffBody('T1'));
    expectOcpi(again, 201, 1000, Tariff);
    expect(again.headers.etag).toBe('"1"');
  });
});

describe('concurrent creators', () => {
  it('when two PUTs create the same new tariff at the same moment, then one answers 201 and the other 200 (412 with If-None-Match: *), never a server error', async () => {
    for (let round = 0; round < 3; round++) {
      const id = `RACE-${round}`;
      const answers = await Promise.all([admin.put(`/${id}`, tariffBody(id)), admin.put(`/${id.toLowerCase()}`, tariffBody(id.toLowerCase(), { currency: 'USD' }))]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
      answers.forEach((a) => expectOcpi(a, a.status, 1000, Tariff));
      expect((await storedTariff(node, id)).etag).toBe('"2"');

      const createOnly = `ONLY-${round}`;
      const once = await Promise.all([1, 2].map(() => admin.put(`/${createOnly}`, tariffBody(createOnly), { 'If-None-Match': '*' })));
      expect(once.map((a) => a.status).sort()).toEqual([201, 412]);
      expectOcpi(once.find((a) => a.status === 412)!, 412, 2000);
      expect((await storedTariff(node, createOnly)).etag).toBe('"1"');
    }
    expect(await db.prisma.tariff.count()).toBe(6);
  });
});

describe('methods and callers the admin tariffs API refuses', () => {
  it('when a tariff is PATCHed, then 405 with Allow naming GET, PUT and DELETE, and nothing changes', async () => {
    expectOcpi(await admin.put('/T1', tariffBody('T1')), 201, 1000);
    const before = await storedTariff(node, 'T1');
    const res = await admin.patch('/T1', { currency: 'USD' }, { 'If-Match': before.etag });
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET, PUT, DELETE');
    expect(await storedTariff(node, 'T1')).toEqual(before);
  });

  it('when the list is POSTed to, then 405 with Allow: GET and nothing is stored', async () => {
    const res = await admin.post('', tariffBody('T1'));
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET');
    expect(await db.prisma.tariff.count()).toBe(0);
  });

  it('when a partner token, a token A or no token is used, then 401 on every method and nothing is stored', async () => {
    expectOcpi(await admin.put('/T1', tariffBody('T1')), 201, 1000);
    const before = await storedTariff(node, 'T1');
    for (const authorization of [await registeredPartner(node), await registrationToken(node), undefined]) {
      const as = (test: request.Test) => (authorization ? test.set('Authorization', authorization) : test);
      const base = request(node.baseUrl);
      expectOcpi(await as(base.get(ADMIN_TARIFFS)), 401, 2000);
      expectOcpi(await as(base.get(`${ADMIN_TARIFFS}/T1`)), 401, 2000);
      expectOcpi(await as(base.put(`${ADMIN_TARIFFS}/T2`)).send(tariffBody('T2')), 401, 2000);
      expectOcpi(await as(base.put(`${ADMIN_TARIFFS}/T1`)).send(tariffBody('T1', { currency: 'USD' })), 401, 2000);
      expectOcpi(await as(base.delete(`${ADMIN_TARIFFS}/T1`)), 401, 2000);
    }
    expect(await storedTariff(node, 'T1')).toEqual(before);
    await expectNoTariff(node, 'T2');
  });
});
