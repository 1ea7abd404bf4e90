import { Cdr } from '../../../src/modules/cdrs/cdrs.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { cdrToken, PLACE, putSessionPlace, sessionBody } from '../../helpers/session-factory';
import { databasePerSuite } from '../../helpers/test-database';
import { eventually, quietFor, registerPartner, settled, startPushNode, SteppedClock, type Partner, type PushNode } from '../push/push-harness';
import { period, putTariff, simpleTariff } from './pricing-api';

/**
 * Issue 11 items 3 and 4: an ACTIVE session carries the running total_cost the node computes (and pushes
 * it), and POST /admin/sessions/{id}/cdr turns a COMPLETED session into its priced CDR, sealed as the
 * location and tariff were at the session's start, delivered to the owner like any CDR.
 */

jest.setTimeout(30_000);

const db = databasePerSuite();
let node: PushNode;
let owner: Partner;
let clock: SteppedClock;

const SIGNED = {
  encoding_method: 'OCMF', public_key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE', url: 'https://cpo.example.com/transparency',
  signed_values: [{ nature: 'Start', plain_data: 'OCMF|{"RD":[{"RV":100.0}]}', signed_data: 'c2lnbmF0dXJlLXN0YXJ0' }],
};

beforeEach(async () => {
  clock = new SteppedClock();
  node = await startPushNode(db, {}, clock);
  await putTariff(node, simpleTariff('T1'));
  await putSessionPlace(node, ['T1']);
  owner = await registerPartner(node, { countryCode: 'DE', partyId: 'AAA', sessionsReceiver: true, cdrsReceiver: true });
});
afterEach(async () => {
  await owner.emsp.stop();
  await node.close();
});

async function putSession(id: string, overrides: Record<string, unknown> = {}): Promise<void> {
  const res = await node.admin.put(`/admin/sessions/${id}`, sessionBody(id, { cdr_token: cdrToken('DE', 'AAA'), ...overrides }));
  expectOcpi(res, 201, 1000);
}

async function completeSession(id: string): Promise<void> {
  const res = await node.admin.patch(`/admin/sessions/${id}`, {
    status: 'COMPLETED', end_date_time: '2026-03-01T11:00:00Z', kwh: 10, charging_periods: [period('2026-03-01T10:00:00Z', 10, 1)],
  });
  expectOcpi(res, 200, 1000);
}

describe('running cost', () => {
  it('when periods are reported for an ACTIVE session on a priced connector, then it carries the total_cost so far, and the owner receives it', async () => {
    await putSession('S1', { charging_periods: [period('2026-03-01T10:00:00Z', 5)] });
    expect((await node.admin.get('/admin/sessions/S1')).body.data.total_cost).toEqual({ excl_vat: 2.5, incl_vat: 3 });
    const appended = await node.admin.patch('/admin/sessions/S1', { kwh: 10, charging_periods: [period('2026-03-01T10:30:00Z', 5)] });
    expectOcpi(appended, 200, 1000);
    expect(appended.body.data.total_cost).toEqual({ excl_vat: 4, incl_vat: 4.8 });
    await settled(db, owner);
    expect(owner.emsp.sessions.get('NL/CPO/S1')?.total_cost).toEqual({ excl_vat: 4, incl_vat: 4.8 });
  });

  it('when the CSMS reports a period that starts after the node\'s clock, then the write is accepted and priced up to that period', async () => {
    await putSession('S1', { charging_periods: [period('2026-03-01T10:00:00Z', 5)] });
    // The node's clock reads 12:00; the CSMS's runs five minutes ahead.
    const ahead = await node.admin.patch('/admin/sessions/S1', { kwh: 10, charging_periods: [period('2026-03-01T12:05:00Z', 5)] });
    expectOcpi(ahead, 200, 1000);
    expect(ahead.body.data.total_cost).toEqual({ excl_vat: 4, incl_vat: 4.8 });
  });

  it('when time is priced, then the running cost counts up to the write, and a PUT that changes nothing changes nothing although the clock moved', async () => {
    await putTariff(node, simpleTariff('T-TIME', { elements: [{ price_components: [{ type: 'TIME', price: 2, vat: 20, step_size: 1 }] }] }));
    await putSessionPlace(node, ['T-TIME']);
    const body = sessionBody('S1', { cdr_token: cdrToken('DE', 'AAA'), kwh: 5, charging_periods: [period('2026-03-01T10:00:00Z', 5)] });
    // The clock reads 12:00: two hours of charging at 2.00.
    const created = await node.admin.put('/admin/sessions/S1', body);
    expectOcpi(created, 201, 1000);
    expect(created.body.data.total_cost).toEqual({ excl_vat: 4, incl_vat: 4.8 });
    clock.advance(30 * 60_000);
    const again = await node.admin.put('/admin/sessions/S1', body);
    expectOcpi(again, 200, 1000);
    expect(again.headers.etag).toBe(created.headers.etag);
    expect(again.body.data).toEqual(created.body.data);
    const changed = await node.admin.patch('/admin/sessions/S1', { kwh: 6 });
    expect(changed.body.data.total_cost).toEqual({ excl_vat: 5, incl_vat: 6 });
  });
});

describe('CDR issuing', () => {
  it('when a COMPLETED session is issued, then its CDR is priced, sealed as location and tariff were at its start, carries the signed data, and reaches the owner', async () => {
    await putSession('S1');
    const original = (await node.admin.get('/admin/tariffs/T1')).body.data;
    expectOcpi(await node.admin.patch('/admin/locations/LOC-1', { name: 'Renamed mid-session', address: 'Elsewhere 99' }), 200, 1000);
    await putTariff(node, simpleTariff('T1', { elements: [{ price_components: [{ type: 'ENERGY', price: 0.9, vat: 20, step_size: 1 }] }] }));
    await completeSession('S1');

    const res = await node.admin.post('/admin/sessions/S1/cdr', { signed_data: SIGNED });
    expectOcpi(res, 201, 1000, Cdr);
    const cdr = res.body.data;
    expect(res.headers.etag).toBe('"1"');
    expect(cdr).toMatchObject({
      country_code: 'NL', party_id: 'CPO', id: 'S1', session_id: 'S1',
      start_date_time: '2026-03-01T10:00:00Z', end_date_time: '2026-03-01T11:00:00Z',
      cdr_token: cdrToken('DE', 'AAA'), auth_method: 'WHITELIST', currency: 'EUR',
      cdr_location: {
        id: 'LOC-1', name: 'Station LOC-1', address: 'Stationsplein 1', city: 'Utrecht', postal_code: '3511 ED', country: 'NLD',
        coordinates: { latitude: '52.089444', longitude: '5.110278' }, evse_uid: PLACE.evse_uid, evse_id: 'NL*CPO*ELOC1E1', connector_id: '1',
        connector_standard: 'IEC_62196_T2', connector_format: 'SOCKET', connector_power_type: 'AC_3_PHASE',
      },
      tariffs: [original],
      charging_periods: [{ ...period('2026-03-01T10:00:00Z', 10, 1), tariff_id: 'T1' }],
      signed_data: SIGNED,
      total_cost: { excl_vat: 4, incl_vat: 4.8 },
      total_fixed_cost: { excl_vat: 1, incl_vat: 1.2 },
      total_energy: 10,
      total_energy_cost: { excl_vat: 3, incl_vat: 3.6 },
      total_time: 1,
    });
    expect((await node.admin.get('/admin/cdrs/S1')).body.data).toEqual(cdr);

    await eventually(() => expect(owner.emsp.cdrs.get('NL/CPO/S1')?.cdr).toEqual(cdr));
    expect(problemsWith(Cdr, owner.emsp.cdrPosts()[0]!.body)).toEqual([]);

    const again = await node.admin.post('/admin/sessions/S1/cdr', {});
    expectOcpi(again, 409, 2000);
    await quietFor(200);
    expect(owner.emsp.cdrPosts()).toHaveLength(1);
  });

  it('when the CDR is given its own id, then it is stored under it and names the session', async () => {
    await putSession('S1');
    await completeSession('S1');
    const res = await node.admin.post('/admin/sessions/S1/cdr', { id: 'CDR-S1' });
    expectOcpi(res, 201, 1000, Cdr);
    expect(res.body.data).toMatchObject({ id: 'CDR-S1', session_id: 'S1' });
  });

  it('when the session is not COMPLETED, unknown, or the body is invalid, then nothing is issued', async () => {
    await putSession('S1');
    expectOcpi(await node.admin.post('/admin/sessions/S1/cdr', {}), 409, 2000);
    expectOcpi(await node.admin.post('/admin/sessions/NOPE/cdr', {}), 404, 2000);
    await completeSession('S1');
    expectOcpi(await node.admin.post('/admin/sessions/S1/cdr', { id: 'X'.repeat(37) }), 400, 2001);
    expectOcpi(await node.admin.post('/admin/sessions/S1/cdr', { remark: 'not a field here' }), 400, 2001);
    expectOcpi(await node.admin.get('/admin/sessions/S1/cdr'), 405, 2000);
    expectOcpi(await node.admin.get('/admin/cdrs/S1'), 404, 2000);
    expect(owner.emsp.cdrPosts()).toEqual([]);
  });

  it('when the connector names no tariff, then the CDR carries the CSMS\'s own total_cost and no tariffs', async () => {
    await putSessionPlace(node, []);
    await putSession('S2', { total_cost: { excl_vat: 7.5 } });
    await completeSession('S2');
    const res = await node.admin.post('/admin/sessions/S2/cdr', {});
    expectOcpi(res, 201, 1000, Cdr);
    expect(res.body.data.tariffs).toBeUndefined();
    expect(res.body.data).toMatchObject({ total_cost: { excl_vat: 7.5 }, total_energy: 10, total_time: 1 });
  });
});
