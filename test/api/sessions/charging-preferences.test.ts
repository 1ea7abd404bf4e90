import request from 'supertest';
import { ChargingPreferences, ChargingPreferencesResponse, Session } from '../../../src/modules/sessions/sessions.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { cdrToken, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { tariffBody } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { registeredEmsp, SESSIONS, sessionAdmin, sessionSender, storedSession } from './session-api';

/** PUT /ocpi/2.2.1/sessions/{id}/charging_preferences: the owner's ongoing sessions only; stored, readable through the admin API. */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof sessionAdmin>;
let owner: ReturnType<typeof sessionSender>;
let other: ReturnType<typeof sessionSender>;

const PREFS = { profile_type: 'REGULAR', departure_time: '2026-03-01T18:00:00Z', energy_need: 30.5, discharge_allowed: false };
const Answer = ChargingPreferencesResponse;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = sessionAdmin(node);
  for (const [id, type] of [['T-GREEN', 'PROFILE_GREEN'], ['T-REG', 'REGULAR']] as const) {
    expectOcpi(await request(node.baseUrl).put(`/admin/tariffs/${id}`).set('Authorization', `Bearer ${node.adminToken}`).send(tariffBody(id, { type })), 201, 1000);
  }
  await putSessionPlace(node, ['T-GREEN', 'T-REG']);
  owner = sessionSender(node, await registeredEmsp(node, { countryCode: 'DE', partyId: 'AAA' }));
  other = sessionSender(node, await registeredEmsp(node, { countryCode: 'FR', partyId: 'BBB' }));
  expectOcpi(await admin.put('/S1', sessionBody('S1', { cdr_token: cdrToken('DE', 'AAA') })), 201, 1000, Session);
});
afterEach(async () => {
  await node.close();
});

describe('charging preferences', () => {
  it('when the owner sets preferences on its ACTIVE session, then ACCEPTED, stored and readable through the admin API; the session itself does not change', async () => {
    const before = await storedSession(node, 'S1');
    const res = await owner.preferences('s1', PREFS);
    expectOcpi(res, 200, 1000, Answer);
    expect(res.body.data).toBe('ACCEPTED');
    const stored = await admin.get('/S1/charging_preferences');
    expectOcpi(stored, 200, 1000, ChargingPreferences);
    expect(stored.body.data).toEqual(PREFS);
    expect(await storedSession(node, 'S1')).toEqual(before);

    expectOcpi(await owner.preferences('S1', { profile_type: 'GREEN' }), 200, 1000, Answer);
    expect((await admin.get('/S1/charging_preferences')).body.data).toEqual({ profile_type: 'GREEN' });
  });

  it('when no preferences were set, or the session is unknown, then the admin GET answers 404', async () => {
    expectOcpi(await admin.get('/S1/charging_preferences'), 404, 2000);
    expectOcpi(await admin.get('/NOPE/charging_preferences'), 404, 2000);
  });

  it('when another eMSP sets preferences on the session, then 404 as for an unknown session, and nothing is stored', async () => {
    const res = await other.preferences('S1', PREFS);
    expectOcpi(res, 404, 2000);
    expect(res.body.status_message).toBe('Unknown session S1');
    expectOcpi(await owner.preferences('NOPE', PREFS), 404, 2000);
    expect((await owner.preferences('NOPE', PREFS)).body.status_message).toBe('Unknown session NOPE');
    expectOcpi(await admin.get('/S1/charging_preferences'), 404, 2000);
  });

  it('when the session’s EVSE lacks CHARGING_PREFERENCES_CAPABLE, then 404 / 2001 and nothing is stored', async () => {
    expectOcpi(await admin.put('/S2', sessionBody('S2', { evse_uid: 'LOC-1-E2' })), 201, 1000, Session);
    const res = await owner.preferences('S2', PREFS);
    expectOcpi(res, 404, 2001);
    expect(res.body.status_message).toContain('CHARGING_PREFERENCES_CAPABLE');
    expectOcpi(await admin.get('/S2/charging_preferences'), 404, 2000);
  });

  it.each(['COMPLETED', 'INVALID'])('when the session is %s, then NOT_POSSIBLE and nothing is stored', async (status) => {
    expectOcpi(await admin.patch('/S1', { status }, { 'If-Match': '"1"' }), 200, 1000, Session);
    const res = await owner.preferences('S1', PREFS);
    expectOcpi(res, 200, 1000, Answer);
    expect(res.body.data).toBe('NOT_POSSIBLE');
    expectOcpi(await admin.get('/S1/charging_preferences'), 404, 2000);
  });

  it('when the profile needs a tariff the connector does not name, then PROFILE_TYPE_NOT_SUPPORTED; one it names is ACCEPTED', async () => {
    const fast = await owner.preferences('S1', { profile_type: 'FAST' });
    expectOcpi(fast, 200, 1000, Answer);
    expect(fast.body.data).toBe('PROFILE_TYPE_NOT_SUPPORTED');
    expectOcpi(await admin.get('/S1/charging_preferences'), 404, 2000);
    expect((await owner.preferences('S1', { profile_type: 'GREEN' })).body.data).toBe('ACCEPTED');
  });

  it.each([
    ['no profile_type', { energy_need: 1 }, '/profile_type'],
    ['an unknown profile_type', { profile_type: 'SLOW' }, '/profile_type'],
    ['a negative energy_need', { profile_type: 'FAST', energy_need: -1 }, '/energy_need'],
    ['a departure_time with an offset', { profile_type: 'FAST', departure_time: '2026-03-01T18:00:00+01:00' }, '/departure_time'],
    ['an unknown field', { profile_type: 'FAST', colour: 'red' }, 'colour'],
  ])('when the body has %s, then 400 / 2001 naming the field and nothing is stored', async (_what, body, names) => {
    const res = await owner.preferences('S1', body);
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(names);
    expectOcpi(await admin.get('/S1/charging_preferences'), 404, 2000);
  });

  it('when the preferences path is called with another method, then 405 with Allow; without a token, 401', async () => {
    const res = await owner.follow(`${SESSIONS}/S1/charging_preferences`);
    expectOcpi(res, 405, 2000);
    expect(res.headers.allow).toBe('PUT');
    expectOcpi(await request(node.baseUrl).put(`${SESSIONS}/S1/charging_preferences`).send(PREFS), 401, 2000);
  });
});
