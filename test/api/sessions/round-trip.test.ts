import { Session } from '../../../src/modules/sessions/sessions.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { fullSessionBody, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { ManualClock } from '../locations/location-api';
import { expectNoSession, sessionAdmin, SPEC_FIELD_ORDER, storedSession } from './session-api';

/** Sessions through the admin API: PUT creates or replaces, GET answers with an ETag, every field round-trips. */

const db = databasePerSuite();
let node: TestApp;
let clock: ManualClock;
let admin: ReturnType<typeof sessionAdmin>;

beforeEach(async () => {
  clock = new ManualClock();
  node = await startTestApp(db, { clock });
  admin = sessionAdmin(node);
  await putSessionPlace(node);
});
afterEach(async () => {
  await node.close();
});

describe('PUT and GET /admin/sessions/{id}', () => {
  it('when a session with every field is PUT, then GET returns every field as written, in the spec order, with last_updated set by the node', async () => {
    const body = fullSessionBody('S-FULL');
    const created = await admin.put('/S-FULL', body);
    expectOcpi(created, 201, 1000, Session);
    expect(created.headers.etag).toBe('"1"');
    const { last_updated: _written, ...fields } = body;
    expect(created.body.data).toEqual({ ...fields, last_updated: clock.iso() });
    expect(Object.keys(created.body.data)).toEqual(SPEC_FIELD_ORDER);
    const stored = await storedSession(node, 'S-FULL');
    expect(stored.data).toEqual(created.body.data);
    expect(Object.keys(stored.data)).toEqual(SPEC_FIELD_ORDER);
    expect(stored.etag).toBe('"1"');
  });

  it('when a minimal session is PUT without owner, then country_code and party_id are ours', async () => {
    const created = await admin.put('/S1', sessionBody('S1'));
    expectOcpi(created, 201, 1000, Session);
    expect(created.body.data).toMatchObject({ country_code: 'NL', party_id: 'CPO', id: 'S1', status: 'ACTIVE' });
    expect(created.body.data).not.toHaveProperty('charging_periods');
  });

  it('when a PUT replaces a session, then 200 with the next version, and fields left out are gone', async () => {
    expectOcpi(await admin.put('/S1', sessionBody('S1', { meter_id: 'M1' })), 201, 1000, Session);
    clock.advance();
    const replaced = await admin.put('/S1', sessionBody('S1', { kwh: 3.5 }));
    expectOcpi(replaced, 200, 1000, Session);
    expect(replaced.headers.etag).toBe('"2"');
    expect(replaced.body.data.kwh).toBe(3.5);
    expect(replaced.body.data).not.toHaveProperty('meter_id');
    expect(replaced.body.data.last_updated).toBe(clock.iso());
  });

  it('when the same session is PUT again unchanged, then 200 and neither version nor last_updated moves', async () => {
    const first = await admin.put('/S1', sessionBody('S1'));
    expectOcpi(first, 201, 1000, Session);
    clock.advance(5000);
    const again = await admin.put('/s1', sessionBody('s1'));
    expectOcpi(again, 200, 1000, Session);
    expect(again.headers.etag).toBe('"1"');
    expect(again.body.data).toEqual(first.body.data);
  });

  it('when GET names the current ETag in If-None-Match, then 304; an unknown id answers 404 / 2000', async () => {
    expectOcpi(await admin.put('/S1', sessionBody('S1')), 201, 1000);
    const notModified = await admin.get('/S1', { 'If-None-Match': '"1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe('"1"');
    expectOcpi(await admin.get('/S1', { 'If-None-Match': '"0"' }), 200, 1000, Session);
    const unknown = await admin.get('/NOPE');
    expectOcpi(unknown, 404, 2000);
    expect(unknown.body.status_message).toContain('NOPE');
    expectOcpi(await admin.get(`/${'S'.repeat(37)}`), 404, 2000);
  });

  it('when If-None-Match: * is sent, then PUT only creates: an existing session answers 412 and is not changed', async () => {
    expectOcpi(await admin.put('/S1', sessionBody('S1'), { 'If-None-Match': '*' }), 201, 1000, Session);
    expectOcpi(await admin.put('/S1', sessionBody('S1', { kwh: 9 }), { 'If-None-Match': '*' }), 412, 2000);
    expect((await storedSession(node, 'S1')).data.kwh).toBe(0);
  });

  it('when a PUT carries If-Match, then it must name the current version (412 otherwise, nothing changed)', async () => {
    expectOcpi(await admin.put('/S1', sessionBody('S1')), 201, 1000);
    expectOcpi(await admin.put('/S1', sessionBody('S1', { kwh: 2 }), { 'If-Match': '"7"' }), 412, 2000);
    expect((await storedSession(node, 'S1')).etag).toBe('"1"');
    const ok = await admin.put('/S1', sessionBody('S1', { kwh: 2 }), { 'If-Match': '"1"' });
    expectOcpi(ok, 200, 1000, Session);
    expect(ok.headers.etag).toBe('"2"');
    expectOcpi(await admin.put('/S2', sessionBody('S2'), { 'If-Match': '"1"' }), 412, 2000);
    await expectNoSession(node, 'S2');
  });

  it('when a PUT carries a last_updated older than the stored one, then 409 and nothing changes', async () => {
    expectOcpi(await admin.put('/S1', sessionBody('S1')), 201, 1000);
    const storedAt = clock.iso();
    clock.advance();
    const stale = await admin.put('/S1', sessionBody('S1', { kwh: 5, last_updated: '2026-01-01T00:00:00Z' }));
    expectOcpi(stale, 409, 2000);
    expect(stale.body.status_message).toContain('Stale last_updated');
    const { data, etag } = await storedSession(node, 'S1');
    expect({ kwh: data.kwh, last_updated: data.last_updated, etag }).toEqual({ kwh: 0, last_updated: storedAt, etag: '"1"' });
  });

  it('when another method is used, then 405 with Allow', async () => {
    expectOcpi(await admin.put('/S1', sessionBody('S1')), 201, 1000);
    const res = await admin.delete('/S1');
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('GET, PUT, PATCH');
  });
});
