import { Session } from '../../../src/modules/sessions/sessions.schema';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { cdrToken, chargingPeriod, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { expectNoSession, sessionAdmin, storedSession } from './session-api';

/** Sessions, refused input: every schema rule, every rule beyond it and the place it names answer 400 / 2001 naming the field, and store nothing. */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof sessionAdmin>;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = sessionAdmin(node);
  await putSessionPlace(node);
});
afterEach(async () => {
  await node.close();
});

type Body = Record<string, unknown>;

/** [what is wrong, the body for a session `id`, the text the answer must contain to name the field]. */
const CASES: [string, (id: string) => Body, string][] = [
  ['no start_date_time', (id) => sessionBody(id, { start_date_time: undefined }), '/start_date_time is required'],
  ['a start_date_time with an offset', (id) => sessionBody(id, { start_date_time: '2026-03-01T10:00:00+01:00' }), '/start_date_time'],
  ['end before start', (id) => sessionBody(id, { end_date_time: '2026-03-01T09:59:59Z' }), '/end_date_time'],
  ['negative kwh', (id) => sessionBody(id, { kwh: -1 }), '/kwh'],
  ['kwh as a string', (id) => sessionBody(id, { kwh: '1.5' }), '/kwh'],
  ['no cdr_token', (id) => sessionBody(id, { cdr_token: undefined }), '/cdr_token is required'],
  ['a cdr_token without party_id', (id) => sessionBody(id, { cdr_token: { ...cdrToken(), party_id: undefined } }), '/cdr_token/party_id'],
  ['a cdr_token of an unknown type', (id) => sessionBody(id, { cdr_token: cdrToken('DE', 'AAA', { type: 'CARD' }) }), '/cdr_token/type'],
  ['a cdr_token with an unknown field', (id) => sessionBody(id, { cdr_token: cdrToken('DE', 'AAA', { visual_number: '1' }) }), '/cdr_token'],
  ['an unknown auth_method', (id) => sessionBody(id, { auth_method: 'RFID' }), '/auth_method'],
  ['authorization_reference of 37 characters', (id) => sessionBody(id, { authorization_reference: 'A'.repeat(37) }), '/authorization_reference'],
  ['currency in lower case', (id) => sessionBody(id, { currency: 'eur' }), '/currency'],
  ['an unknown status', (id) => sessionBody(id, { status: 'RESERVED' }), '/status'],
  ['a period without dimensions', (id) => sessionBody(id, { charging_periods: [{ start_date_time: '2026-03-01T10:00:00Z', dimensions: [] }] }), '/charging_periods/0/dimensions'],
  ['a dimension of an unknown type', (id) => sessionBody(id, { charging_periods: [chargingPeriod('2026-03-01T10:00:00Z', 1, { dimensions: [{ type: 'FLAT', volume: 1 }] })] }), '/charging_periods/0/dimensions/0/type'],
  ['a total_cost without excl_vat', (id) => sessionBody(id, { total_cost: { incl_vat: 1 } }), '/total_cost'],
  ['meter_id with a newline', (id) => sessionBody(id, { meter_id: 'M\n1' }), '/meter_id'],
  ['an unknown field', (id) => sessionBody(id, { colour: 'green' }), 'colour'],
  ['another CPO as owner', (id) => sessionBody(id, { party_id: 'XXX' }), '/party_id must be CPO'],
  ['an id other than the path', () => sessionBody('OTHER'), '/id must equal'],
  ['an ACTIVE session without EVSE', (id) => sessionBody(id, { evse_uid: '#NA', connector_id: '#NA' }), '/evse_uid'],
  ['#NA EVSE with a connector', (id) => sessionBody(id, { status: 'RESERVATION', evse_uid: '#NA' }), '/connector_id must be #NA'],
  ['an unknown location', (id) => sessionBody(id, { location_id: 'NOWHERE' }), '/location_id NOWHERE names no location'],
  ['an unknown EVSE', (id) => sessionBody(id, { evse_uid: 'LOC-1-E9' }), '/evse_uid LOC-1-E9 names no EVSE of location LOC-1'],
  ['an unknown connector', (id) => sessionBody(id, { connector_id: '7' }), '/connector_id 7 names no connector of EVSE LOC-1-E1'],
];

describe('invalid sessions are refused and store nothing', () => {
  it.each(CASES)('when a PUT has %s, then 400 / 2001 naming the field, and nothing is stored', async (_what, body, names) => {
    const res = await admin.put('/S1', body('S1'));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(names);
    await expectNoSession(node, 'S1');
  });

  it.each(CASES)('when a PUT replacing a stored session has %s, then 400 / 2001 and the stored session is unchanged', async (_what, body, names) => {
    expectOcpi(await admin.put('/S1', sessionBody('S1')), 201, 1000, Session);
    const before = await storedSession(node, 'S1');
    const res = await admin.put('/S1', body('S1'));
    expectOcpi(res, 400, 2001);
    expect(res.body.status_message).toContain(names);
    expect(await storedSession(node, 'S1')).toEqual(before);
  });

  it('when a body is not JSON or is a list, then 400 / 2001', async () => {
    const malformed = await admin.put('/S1', '{"id":').set('Content-Type', 'application/json');
    expectOcpi(malformed, 400, 2001);
    expectOcpi(await admin.put('/S1', [sessionBody('S1')]), 400, 2001);
    await expectNoSession(node, 'S1');
  });

  it('when a reservation has no EVSE yet (#NA), then it is stored; the location must still exist', async () => {
    const reservation = sessionBody('S1', { status: 'RESERVATION', evse_uid: '#NA', connector_id: '#NA' });
    expectOcpi(await admin.put('/S1', reservation), 201, 1000, Session);
    expectOcpi(await admin.put('/S2', { ...reservation, id: 'S2', location_id: 'NOWHERE' }), 400, 2001);
    await expectNoSession(node, 'S2');
  });

  it('when location, EVSE and connector ids differ in case from the stored ones, then they still name them', async () => {
    const res = await admin.put('/S1', sessionBody('S1', { location_id: 'loc-1', evse_uid: 'loc-1-e1', connector_id: '1' }));
    expectOcpi(res, 201, 1000, Session);
    expect(res.body.data.location_id).toBe('loc-1');
  });

  it('when a PATCH names an unknown connector or an invalid field, then 400 / 2001 and the session is unchanged', async () => {
    const created = await admin.put('/S1', sessionBody('S1'));
    expectOcpi(created, 201, 1000, Session);
    const before = await storedSession(node, 'S1');
    for (const [patch, names] of [
      [{ connector_id: '9' }, '/connector_id 9'],
      [{ evse_uid: 'LOC-1-E2', connector_id: '9' }, '/connector_id 9'],
      [{ kwh: -2 }, '/kwh'],
      [{ end_date_time: '2026-03-01T09:00:00Z' }, '/end_date_time'],
      [{ charging_periods: [{ start_date_time: 'yesterday', dimensions: [{ type: 'ENERGY', volume: 1 }] }] }, '/charging_periods/0/start_date_time'],
      [{}, 'must NOT have fewer than 1 properties'],
    ] as const) {
      const res = await admin.patch('/S1', patch, { 'If-Match': '"1"' });
      expectOcpi(res, 400, 2001);
      expect(res.body.status_message).toContain(names);
    }
    expect(await storedSession(node, 'S1')).toEqual(before);
  });
});
