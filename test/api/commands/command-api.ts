import request from 'supertest';
import { CommandResponse } from '../../../src/modules/commands/commands.schema';
import { decodeToken, type RecordedRequest } from '../../helpers/fake-emsp';
import type { FakeCsms } from '../../helpers/fake-csms';
import { evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { sessionBody } from '../../helpers/session-factory';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import type { TestDatabase } from '../../helpers/test-database';
import { registerEmsp, tokenBody, type RegisteredEmsp } from '../tokens/token-api';

/** Shared plumbing of the commands api tests (not a test file itself). */

export const COMMANDS = '/ocpi/2.2.1/commands';

/** The node as the commands tests run it: pushing, a webhook CSMS, a 1 s command timeout. */
export function startCommandNode(db: TestDatabase, csms: FakeCsms, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp(db, { env: { PUSH_ENABLED: 'true', PUSH_POLL_INTERVAL_MS: '50', CSMS_WEBHOOK_URL: csms.url, COMMAND_TIMEOUT_S: '1', ...env } });
}

/**
 * LOC-1: E1 does everything (remote start/stop, reservable, unlock), E2 nothing but RFID, E3 remote start
 * with START_SESSION_CONNECTOR_REQUIRED.
 */
export async function putCommandPlace(node: TestApp): Promise<void> {
  const evses = [
    evseBody('LOC-1-E1', { capabilities: ['REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'UNLOCK_CAPABLE'] }),
    evseBody('LOC-1-E2', { capabilities: ['RFID_READER'] }),
    evseBody('LOC-1-E3', { capabilities: ['REMOTE_START_STOP_CAPABLE', 'START_SESSION_CONNECTOR_REQUIRED'] }),
  ];
  const res = await request(node.baseUrl).put('/admin/locations/LOC-1').set('Authorization', `Bearer ${node.adminToken}`).send(locationBody('LOC-1', { evses }));
  expect([200, 201]).toContain(res.status);
}

/** An ACTIVE session at LOC-1/E1/1 of the token party `cc`/`pid`. */
export async function putSession(node: TestApp, id: string, cc: string, pid: string): Promise<void> {
  const res = await request(node.baseUrl).put(`/admin/sessions/${id}`).set('Authorization', `Bearer ${node.adminToken}`)
    .send(sessionBody(id, { cdr_token: { country_code: cc, party_id: pid, uid: `${pid}-RFID-1`, type: 'RFID', contract_id: `${cc}-${pid}-C1` } }));
  expect([200, 201]).toContain(res.status);
}

export { registerEmsp, tokenBody, type RegisteredEmsp };

/** A valid body for `command`, sent by `emsp` (its own party's token); `fields` override. */
export function commandBody(emsp: RegisteredEmsp, command: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const token = tokenBody(emsp.emsp.countryCode, emsp.emsp.partyId, 'U1');
  const response_url = emsp.emsp.commandResponseUrl();
  const bodies: Record<string, Record<string, unknown>> = {
    START_SESSION: { response_url, token, location_id: 'LOC-1', evse_uid: 'LOC-1-E1', connector_id: '1', authorization_reference: 'AUTH-1' },
    STOP_SESSION: { response_url, session_id: 'S-1' },
    RESERVE_NOW: { response_url, token, expiry_date: '2030-01-01T12:00:00Z', reservation_id: 'R-1', location_id: 'LOC-1', evse_uid: 'LOC-1-E1' },
    CANCEL_RESERVATION: { response_url, reservation_id: 'R-1' },
    UNLOCK_CONNECTOR: { response_url, location_id: 'LOC-1', evse_uid: 'LOC-1-E1', connector_id: '1' },
  };
  return { ...bodies[command], ...fields };
}

/** POSTs a command as `emsp`; returns the response. */
export function sendCommand(node: TestApp, emsp: RegisteredEmsp, command: string, body: unknown) {
  return request(node.baseUrl).post(`${COMMANDS}/${command}`).set('Authorization', emsp.auth).send(body as object);
}

/** A CommandResponse with 1000 (or `status`), `result` and the configured timeout. */
export function expectCommandResponse(res: request.Response, result: string, status = 1000): void {
  expectOcpi(res, 200, status, CommandResponse);
  expect(res.body.data.result).toBe(result);
  expect(res.body.data.timeout).toBe(1);
}

/** The CSMS reports an outcome. */
export function reportResult(node: TestApp, id: string, body: unknown) {
  return request(node.baseUrl).post(`/admin/commands/${id}/result`).set('Authorization', `Bearer ${node.adminToken}`).send(body as object);
}

export function adminCommand(node: TestApp, id: string) {
  return request(node.baseUrl).get(`/admin/commands/${id}`).set('Authorization', `Bearer ${node.adminToken}`);
}

/** Waits (bounded) until `count()` reaches `n`. */
export async function waitFor(count: () => number, n: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (count() < n && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(count()).toBeGreaterThanOrEqual(n);
}

/** A CommandResult as the eMSP must receive it: bare, with its token and our routing headers towards it. */
export function expectCommandResult(posted: RecordedRequest | undefined, emsp: RegisteredEmsp, result: Record<string, unknown>): void {
  expect(posted).toBeDefined();
  expect(posted!.body).toEqual(result);
  expect(emsp.emsp.acceptedTokens.has(decodeToken(posted!.headers.authorization as string)!)).toBe(true);
  expect(posted!.headers['ocpi-from-country-code']).toBe('NL');
  expect(posted!.headers['ocpi-from-party-id']).toBe('CPO');
  expect(posted!.headers['ocpi-to-country-code']).toBe(emsp.emsp.countryCode);
  expect(posted!.headers['ocpi-to-party-id']).toBe(emsp.emsp.partyId);
  expect(posted!.headers['x-request-id']).toBeTruthy();
}
