import type { Response } from 'supertest';
import { Tariff } from '../../../src/modules/tariffs/tariffs.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { fullTariffBody, tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ManualClock, versionOf } from '../locations/location-api';
import { expectNoTariff, storedTariff, tariffAdmin } from './tariff-api';

/** Tariffs, Safe writes (ARCHITECTURE §5): ETags, If-None-Match, If-Match, stale last_updated, no-op PUTs. */

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof tariffAdmin>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock });
  admin = tariffAdmin(node);
  expectOcpi(await admin.put('/T1', tariffBody('T1')), 201, 1000, Tariff);
  clock.advance(60_000);
});
afterEach(async () => {
  await node.close();
});

const stored = (id = 'T1') => storedTariff(node, id);

function expectNotModified(res: Response, etag: string): void {
  expect(etag).toMatch(/^"\d+"$/);
  expect(res.status).toBe(304);
  expect(res.text).toBe('');
  expect(res.headers.etag).toBe(etag);
}

describe('ETags', () => {
  it('when a tariff is created and then replaced, then 201 with ETag "1", then 200 with the next ETag, each the one GET answers with', async () => {
    const created = await admin.put('/T2', tariffBody('T2'));
    expectOcpi(created, 201, 1000, Tariff);
    expect(created.headers.etag).toBe('"1"');
    expect((await stored('T2')).etag).toBe('"1"');

    const replaced = await admin.put('/T2', tariffBody('T2', { currency: 'USD' }));
    expectOcpi(replaced, 200, 1000, Tariff);
    expect(replaced.headers.etag).toBe('"2"');
    const after = await stored('T2');
    expect(after.etag).toBe('"2"');
    expect(after.data).toEqual(replaced.body.data);
    expect(after.data.currency).toBe('USD');
  });

  it('when a GET repeats the current ETag in If-None-Match, then 304; with an older one, then 200 with the current tariff', async () => {
    const first = await admin.get('/T1');
    expectOcpi(first, 200, 1000, Tariff);
    const etag = first.headers.etag as string;
    expectNotModified(await admin.get('/T1', { 'If-None-Match': etag }), etag);
    expectNotModified(await admin.get('/t1', { 'If-None-Match': `"999", W/${etag}` }), etag);

    expectOcpi(await admin.put('/T1', tariffBody('T1', { currency: 'USD' })), 200, 1000, Tariff);
    const res = await admin.get('/T1', { 'If-None-Match': etag });
    expectOcpi(res, 200, 1000, Tariff);
    expect(res.body.data.currency).toBe('USD');
    expect(versionOf(res)).toBe(versionOf(first) + 1);
  });
});

describe('If-Match and If-None-Match on PUT', () => {
  it('when a PUT carries a stale or malformed If-Match, then 412 and nothing changes; with the current ETag it replaces', async () => {
    const before = await stored();
    for (const ifMatch of [`"${versionOf(before.etag) + 1}"`, `"${versionOf(before.etag) - 1}"`, 'not-an-etag']) {
      expectOcpi(await admin.put('/T1', tariffBody('T1', { currency: 'USD' }), { 'If-Match': ifMatch }), 412, 2000);
    }
    expect(await stored()).toEqual(before);

    const put = await admin.put('/T1', tariffBody('T1', { currency: 'USD' }), { 'If-Match': before.etag });
    expectOcpi(put, 200, 1000, Tariff);
    expect(versionOf(put)).toBe(versionOf(before.etag) + 1);
    expect((await stored()).data.currency).toBe('USD');
  });

  it('when a PUT of a new tariff carries If-Match, then 412 and nothing is created', async () => {
    expectOcpi(await admin.put('/T9', tariffBody('T9'), { 'If-Match': '"1"' }), 412, 2000);
    expectOcpi(await admin.put('/T9', tariffBody('T9'), { 'If-Match': '*' }), 412, 2000);
    await expectNoTariff(node, 'T9');
  });

  it('when a PUT carries If-None-Match: *, then it creates a new tariff (201) but answers 412 for an existing one, in any case of its id', async () => {
    expectOcpi(await admin.put('/T2', tariffBody('T2'), { 'If-None-Match': '*' }), 201, 1000, Tariff);
    const [t1, t2] = [await stored('T1'), await stored('T2')];
    expectOcpi(await admin.put('/T1', tariffBody('T1', { currency: 'USD' }), { 'If-None-Match': '*' }), 412, 2000);
    expectOcpi(await admin.put('/t2', tariffBody('t2', { currency: 'USD' }), { 'If-None-Match': '*' }), 412, 2000);
    expectOcpi(await admin.put('/T1', tariffBody('T1'), { 'If-None-Match': '*' }), 412, 2000);
    expect(await stored('T1')).toEqual(t1);
    expect(await stored('T2')).toEqual(t2);
  });
});

describe('a PUT that changes nothing bumps nothing', () => {
  it('when the stored tariff is PUT again later, then 200 with the same ETag and the same last_updated', async () => {
    const before = await stored();
    clock.advance(60_000);
    const again = await admin.put('/T1', tariffBody('T1'));
    expectOcpi(again, 200, 1000, Tariff);
    expect(again.headers.etag).toBe(before.etag);
    expect(again.body.data).toEqual(before.data);
    expect(await stored()).toEqual(before);
  });

  it('when a full tariff is PUT again with its fields in another order, its owner in lower case and its id in another case, then nothing is bumped', async () => {
    expectOcpi(await admin.put('/FULL', fullTariffBody('FULL')), 201, 1000, Tariff);
    const before = await stored('FULL');
    clock.advance(60_000);
    const shuffled = Object.fromEntries(Object.entries(fullTariffBody('full', { country_code: 'nl', party_id: 'cpo' })).reverse());
    const again = await admin.put('/full', shuffled);
    expectOcpi(again, 200, 1000, Tariff);
    expect(again.headers.etag).toBe(before.etag);
    expect(await stored('FULL')).toEqual(before);
    expect(JSON.stringify((await stored('FULL')).data)).toBe(JSON.stringify(before.data));
  });
});

describe('stale last_updated', () => {
  it('when a PUT that changes something carries a last_updated older than the stored one, then 409 / 2000 and nothing changes', async () => {
    const before = await stored();
    const older = new Date(Date.parse(before.data.last_updated as string) - 1).toISOString();
    const res = await admin.put('/T1', tariffBody('T1', { currency: 'USD', last_updated: older }));
    expectOcpi(res, 409, 2000);
    expect(res.body.status_message).toContain('last_updated');
    expect(await stored()).toEqual(before);
  });

  it('when the last_updated equals the stored one or is newer, then the change is stored with our own clock\'s last_updated', async () => {
    const before = await stored();
    const same = await admin.put('/T1', tariffBody('T1', { currency: 'USD', last_updated: before.data.last_updated }));
    expectOcpi(same, 200, 1000, Tariff);
    expect(same.body.data.last_updated).toBe(clock.iso());
    const changedAt = clock.advance(1000);
    const newer = await admin.put('/T1', tariffBody('T1', { currency: 'GBP', last_updated: '2030-01-01T00:00:00Z' }));
    expectOcpi(newer, 200, 1000, Tariff);
    expect(newer.body.data).toMatchObject({ currency: 'GBP', last_updated: changedAt });
  });

  it('when a PUT that changes nothing carries an old last_updated, then 200 and nothing is bumped (there is nothing to refuse)', async () => {
    const before = await stored();
    const res = await admin.put('/T1', tariffBody('T1', { last_updated: '2020-01-01T00:00:00Z' }));
    expectOcpi(res, 200, 1000, Tariff);
    expect(res.headers.etag).toBe(before.etag);
    expect(await stored()).toEqual(before);
  });
});

describe('If-Match on DELETE', () => {
  it('when a DELETE carries a stale If-Match, then 412 and the tariff is still there; with the current one it is deleted', async () => {
    expectOcpi(await admin.put('/T1', tariffBody('T1', { currency: 'USD' })), 200, 1000);
    const before = await stored();
    expectOcpi(await admin.delete('/T1', { 'If-Match': '"1"' }), 412, 2000);
    expectOcpi(await admin.delete('/T1', { 'If-Match': 'garbage' }), 412, 2000);
    expect(await stored()).toEqual(before);

    const deleted = await admin.delete('/T1', { 'If-Match': before.etag });
    expectOcpi(deleted, 200, 1000, Tariff);
    expect(deleted.body.data).toEqual(before.data);
    await expectNoTariff(node, 'T1');
  });
});
