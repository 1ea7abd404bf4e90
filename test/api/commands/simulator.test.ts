import request from 'supertest';
import { Cdr } from '../../../src/modules/cdrs/cdrs.schema';
import { problemsWith } from '../../../src/ocpi/validate';
import type { RecordedRequest } from '../../helpers/fake-emsp';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { putTariffs } from '../../helpers/tariff-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { tokenReceiver } from '../tokens/token-api';
import { commandBody, registerEmsp, sendCommand, tokenBody, type RegisteredEmsp } from './command-api';

/**
 * The default charger port, the simulator, as an eMSP sees it: commands answered as a charger would,
 * sessions charging at the connector's power, priced CDRs, all pushed through the outbox. 600 simulated
 * seconds per real second: a charging period (a simulated minute) every 100 ms.
 */

const db = databasePerSuite();
let node: TestApp;
let a: RegisteredEmsp;
let b: RegisteredEmsp;

const SESSIONS = '/ocpi/2.2.1/sessions/';
const EVSE_E1 = '/ocpi/2.2.1/locations/NL/CPO/LOC-1/LOC-1-E1';

beforeEach(async () => {
  // No CHARGER_PORT and no CSMS_WEBHOOK_URL: the simulator, as a user who just starts the node gets it.
  node = await startTestApp(db, { env: { PUSH_ENABLED: 'true', PUSH_POLL_INTERVAL_MS: '50', SIMULATOR_SPEED: '600', COMMAND_TIMEOUT_S: '10' } });
  a = await registerEmsp(node, { countryCode: 'DE', partyId: 'AAA', sessionsReceiver: true, cdrsReceiver: true });
  b = await registerEmsp(node, { countryCode: 'FR', partyId: 'BBB', sessionsReceiver: true, cdrsReceiver: true });
  await putTariffs(node, ['AC-1']);
  // E1: 22 kW AC (230 V × 32 A × 3 phases) priced by AC-1 (0.39 EUR/kWh excl. VAT); E3 needs connector_id.
  const evses = [
    evseBody('LOC-1-E1', { capabilities: ['REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'UNLOCK_CAPABLE'], connectors: [connectorBody('1', { tariff_ids: ['AC-1'] })] }),
    evseBody('LOC-1-E2', { capabilities: ['RFID_READER'] }),
    evseBody('LOC-1-E3', { capabilities: ['REMOTE_START_STOP_CAPABLE', 'START_SESSION_CONNECTOR_REQUIRED'] }),
  ];
  const res = await admin().put('/admin/locations/LOC-1').send(locationBody('LOC-1', { evses }));
  expect(res.status).toBe(201);
  // The eMSPs push their tokens, as they would before their drivers charge.
  for (const emsp of [a, b]) {
    const put = await tokenReceiver(node, emsp.auth).put(`/${emsp.emsp.countryCode}/${emsp.emsp.partyId}/U1`, tokenBody(emsp.emsp.countryCode, emsp.emsp.partyId, 'U1'));
    expect([200, 201]).toContain(put.status);
  }
});

afterEach(async () => {
  await node?.close();
  await a?.emsp.stop();
  await b?.emsp.stop();
});

function admin() {
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${node.adminToken}`);
  return {
    put: (path: string) => auth(request(node.baseUrl).put(path)),
    patch: (path: string) => auth(request(node.baseUrl).patch(path)),
    get: (path: string) => auth(request(node.baseUrl).get(path)),
  };
}

/** Waits (bounded) until `done()` holds. */
async function until(done: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(done()).toBe(true);
}

const sessionWrites = (emsp: RegisteredEmsp) => emsp.emsp.requests.filter((r) => r.path.startsWith(SESSIONS) && ['PUT', 'PATCH'].includes(r.method));
const cdrPosts = (emsp: RegisteredEmsp) => emsp.emsp.requests.filter((r) => r.method === 'POST' && r.path === '/ocpi/2.2.1/cdrs');
const evseStatuses = (emsp: RegisteredEmsp, path = EVSE_E1) =>
  emsp.emsp.requests.filter((r) => r.path === path && (r.body as { status?: string }).status !== undefined).map((r) => (r.body as { status: string }).status);
const bodyOf = (r: RecordedRequest) => r.body as Record<string, any>;

/** Sends `command` as `emsp`, expects the CommandResponse ACCEPTED and returns the CommandResult it then gets. */
async function commandResult(emsp: RegisteredEmsp, command: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const before = emsp.emsp.commandResults().length;
  const res = await sendCommand(node, emsp, command, commandBody(emsp, command, fields));
  expectOcpi(res, 200, 1000);
  expect(res.body.data).toMatchObject({ result: 'ACCEPTED' });
  await until(() => emsp.emsp.commandResults().length > before);
  return bodyOf(emsp.emsp.commandResults()[before]!);
}

/** The one session `emsp` holds (the simulator's ids are its own). */
function heldSession(emsp: RegisteredEmsp): Record<string, any> {
  expect(emsp.emsp.sessions.size).toBe(1);
  return [...emsp.emsp.sessions.values()][0]!;
}

describe('START_SESSION and STOP_SESSION', () => {
  it('when the eMSP starts and stops a session, then it gets the results, the charging session with growing kwh and cost, the COMPLETED session and one priced CDR', async () => {
    expect(await commandResult(a, 'START_SESSION')).toEqual({ result: 'ACCEPTED' });

    // The session arrives (PUT) and grows (PATCHes appending periods), kwh and total_cost rising.
    await until(() => sessionWrites(a).filter((r) => r.method === 'PATCH').length >= 3);
    const writes = sessionWrites(a);
    expect(writes[0]!.method).toBe('PUT');
    const first = bodyOf(writes[0]!);
    expect(first).toMatchObject({
      country_code: 'NL', party_id: 'CPO', status: 'ACTIVE', kwh: 0, auth_method: 'COMMAND', authorization_reference: 'AUTH-1',
      location_id: 'LOC-1', evse_uid: 'LOC-1-E1', connector_id: '1', currency: 'EUR',
      cdr_token: { country_code: 'DE', party_id: 'AAA', uid: 'U1', type: 'RFID', contract_id: 'DE-AAA-CU1' },
    });
    expect(first.id).toMatch(/^SIM-/);
    const patches = writes.slice(1).map(bodyOf);
    const kwhs = patches.map((p) => p.kwh as number);
    kwhs.slice(1).forEach((kwh, i) => expect(kwh).toBeGreaterThan(kwhs[i]!));
    const costs = patches.map((p) => p.total_cost?.excl_vat as number);
    costs.slice(1).forEach((cost, i) => expect(cost).toBeGreaterThan(costs[i]!));
    for (const patch of patches) {
      expect(patch.charging_periods).toHaveLength(1);
      // A simulated minute at 22.08 kW: 0.368 kWh (the real tick may run a little late).
      const energy = patch.charging_periods[0].dimensions.find((d: { type: string }) => d.type === 'ENERGY').volume;
      expect(energy).toBeGreaterThanOrEqual(0.35);
    }
    expect(evseStatuses(a)).toContain('CHARGING');

    // The other eMSP cannot stop it, and sees none of it.
    const refused = await sendCommand(node, b, 'STOP_SESSION', commandBody(b, 'STOP_SESSION', { session_id: first.id }));
    expectOcpi(refused, 200, 1000);
    expect(refused.body.data.result).toBe('REJECTED');

    expect(await commandResult(a, 'STOP_SESSION', { session_id: first.id })).toEqual({ result: 'ACCEPTED' });
    await until(() => heldSession(a).status === 'COMPLETED' && cdrPosts(a).length === 1 && evseStatuses(a).at(-1) === 'AVAILABLE');
    const session = heldSession(a);
    expect(session.end_date_time).toBeDefined();

    const cdr = [...a.emsp.cdrs.values()][0]!.cdr;
    expect(problemsWith(Cdr, cdr)).toEqual([]);
    expect(cdr).toMatchObject({ session_id: first.id, auth_method: 'COMMAND', authorization_reference: 'AUTH-1', currency: 'EUR', total_energy: session.kwh });
    expect(cdr.tariffs.map((t: { id: string }) => t.id)).toEqual(['AC-1']);
    expect(cdr.total_cost.excl_vat).toBeCloseTo(Math.round(session.kwh * 0.39 * 100) / 100, 2);
    expect(cdr.total_cost.excl_vat).toBeGreaterThan(0);

    // Nothing more: the session stopped growing, one CDR only.
    const settled = sessionWrites(a).length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(sessionWrites(a)).toHaveLength(settled);
    expect(cdrPosts(a)).toHaveLength(1);
    expect(b.emsp.sessions.size).toBe(0);
    expect(sessionWrites(b)).toHaveLength(0);
    expect(cdrPosts(b)).toHaveLength(0);
    expect(b.emsp.commandResults()).toHaveLength(0);
  });

  it('when the EVSE is charging, then a second START_SESSION gets EVSE_OCCUPIED; OUTOFORDER, EVSE_INOPERATIVE', async () => {
    expect(await commandResult(a, 'START_SESSION')).toEqual({ result: 'ACCEPTED' });
    expect(await commandResult(b, 'START_SESSION')).toMatchObject({ result: 'EVSE_OCCUPIED' });

    const broken = await admin().patch('/admin/locations/LOC-1/evses/LOC-1-E3').set('If-Match', '*').send({ status: 'OUTOFORDER' });
    expect(broken.status).toBe(200);
    expect(await commandResult(b, 'START_SESSION', { evse_uid: 'LOC-1-E3', connector_id: '1' })).toMatchObject({ result: 'EVSE_INOPERATIVE' });
    // Only the first started anything.
    await until(() => a.emsp.sessions.size === 1);
    expect(b.emsp.sessions.size).toBe(0);
  });

  it('when START_SESSION names no EVSE, then the first available remote-start EVSE charges', async () => {
    expect(await commandResult(a, 'START_SESSION', { evse_uid: undefined, connector_id: undefined })).toEqual({ result: 'ACCEPTED' });
    await until(() => a.emsp.sessions.size === 1);
    expect(heldSession(a)).toMatchObject({ evse_uid: 'LOC-1-E1', connector_id: '1', status: 'ACTIVE' });
  });

  it('when UNLOCK_CONNECTOR is sent, then ACCEPTED', async () => {
    expect(await commandResult(a, 'UNLOCK_CONNECTOR')).toEqual({ result: 'ACCEPTED' });
  });
});

describe('RESERVE_NOW and CANCEL_RESERVATION', () => {
  it('when the eMSP reserves, then the EVSE is RESERVED and a RESERVATION session runs until expiry_date, then ends without a CDR', async () => {
    // Two simulated minutes ahead: 200 ms at this speed.
    const expiry = new Date(Date.now() + 120_000).toISOString();
    expect(await commandResult(a, 'RESERVE_NOW', { expiry_date: expiry })).toEqual({ result: 'ACCEPTED' });
    await until(() => a.emsp.sessions.size === 1);
    expect(sessionWrites(a)[0]!.method).toBe('PUT');
    expect(bodyOf(sessionWrites(a)[0]!)).toMatchObject({ status: 'RESERVATION', evse_uid: 'LOC-1-E1', cdr_token: { uid: 'U1' } });
    await until(() => heldSession(a).status === 'COMPLETED' && evseStatuses(a).at(-1) === 'AVAILABLE');
    expect(evseStatuses(a)).toEqual(['RESERVED', 'AVAILABLE']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cdrPosts(a)).toHaveLength(0);
    expect(b.emsp.sessions.size).toBe(0);
  });

  it('when the reserved EVSE is started by another token, then EVSE_OCCUPIED; by the reserving token, then the reservation session charges', async () => {
    expect(await commandResult(a, 'RESERVE_NOW')).toEqual({ result: 'ACCEPTED' });
    expect(await commandResult(b, 'START_SESSION')).toMatchObject({ result: 'EVSE_OCCUPIED' });
    expect(await commandResult(a, 'START_SESSION')).toEqual({ result: 'ACCEPTED' });
    await until(() => a.emsp.sessions.size === 1 && heldSession(a).status === 'ACTIVE' && (heldSession(a).kwh as number) > 0);
    expect(evseStatuses(a)).toEqual(['RESERVED', 'CHARGING']);
  });

  it('when the eMSP cancels its reservation, then ACCEPTED, the session COMPLETED and the EVSE AVAILABLE; cancelled again, UNKNOWN_RESERVATION', async () => {
    expect(await commandResult(a, 'RESERVE_NOW')).toEqual({ result: 'ACCEPTED' });
    expect(await commandResult(a, 'CANCEL_RESERVATION')).toEqual({ result: 'ACCEPTED' });
    await until(() => a.emsp.sessions.size === 1 && heldSession(a).status === 'COMPLETED' && evseStatuses(a).at(-1) === 'AVAILABLE');
    expect(await commandResult(a, 'CANCEL_RESERVATION')).toMatchObject({ result: 'UNKNOWN_RESERVATION' });
    expect(cdrPosts(a)).toHaveLength(0);
  });
});
