import request from 'supertest';
import { FakeCsms } from '../../helpers/fake-csms';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import {
  COMMANDS, commandBody, expectCommandResponse, putCommandPlace, putSession, registerEmsp, sendCommand, startCommandNode, tokenBody, type RegisteredEmsp,
} from './command-api';

/** Commands the node refuses itself: nothing reaches the CSMS, no CommandResult follows. */

const db = databasePerSuite();
let node: TestApp;
let csms: FakeCsms;
let a: RegisteredEmsp;
let b: RegisteredEmsp;

beforeEach(async () => {
  csms = await new FakeCsms().start();
  node = await startCommandNode(db, csms);
  a = await registerEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
  b = await registerEmsp(node, { countryCode: 'FR', partyId: 'BBB' });
  await putCommandPlace(node);
  await putSession(node, 'S-1', 'DE', 'AAA');
});

afterEach(async () => {
  await a?.emsp.stop();
  await b?.emsp.stop();
  await node?.close();
  await csms?.stop();
});

const nothingForwarded = async () => {
  expect(csms.calls).toHaveLength(0);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(a.emsp.commandResults()).toHaveLength(0);
  expect(await db.prisma.delivery.count({ where: { module: 'commands' } })).toBe(0);
};

describe('unknown location, EVSE or connector: HTTP 200, status 2003, REJECTED', () => {
  it.each([
    ['START_SESSION', { location_id: 'NOPE' }],
    ['START_SESSION', { evse_uid: 'LOC-1-E9' }],
    ['START_SESSION', { connector_id: '9' }],
    ['RESERVE_NOW', { location_id: 'NOPE' }],
    ['RESERVE_NOW', { evse_uid: 'LOC-1-E9' }],
    ['UNLOCK_CONNECTOR', { location_id: 'NOPE' }],
    ['UNLOCK_CONNECTOR', { evse_uid: 'LOC-1-E9' }],
    ['UNLOCK_CONNECTOR', { connector_id: '9' }],
  ])('when %s names %j, then 2003 with { result: REJECTED, timeout }', async (command, fields) => {
    const res = await sendCommand(node, a, command, commandBody(a, command, fields));
    expectCommandResponse(res, 'REJECTED', 2003);
    expect(res.body.status_message).toMatch(/^Unknown (location|EVSE|connector)/);
    await nothingForwarded();
  });
});

describe('capabilities: NOT_SUPPORTED', () => {
  it.each([
    ['START_SESSION', { evse_uid: 'LOC-1-E2' }, 'REMOTE_START_STOP_CAPABLE'],
    ['RESERVE_NOW', { evse_uid: 'LOC-1-E3' }, 'RESERVABLE'],
    ['UNLOCK_CONNECTOR', { evse_uid: 'LOC-1-E2' }, 'UNLOCK_CAPABLE'],
  ])('when %s targets %j, an EVSE without %s, then NOT_SUPPORTED', async (command, fields, capability) => {
    const res = await sendCommand(node, a, command, commandBody(a, command, fields));
    expectCommandResponse(res, 'NOT_SUPPORTED');
    expect(res.body.data.message[0].text).toContain(capability);
    await nothingForwarded();
  });

  it('when START_SESSION at an EVSE with START_SESSION_CONNECTOR_REQUIRED has no connector_id, then REJECTED; with one, ACCEPTED', async () => {
    expectCommandResponse(await sendCommand(node, a, 'START_SESSION', commandBody(a, 'START_SESSION', { evse_uid: 'LOC-1-E3', connector_id: undefined })), 'REJECTED');
    expect(csms.calls).toHaveLength(0);
    expectCommandResponse(await sendCommand(node, a, 'START_SESSION', commandBody(a, 'START_SESSION', { evse_uid: 'LOC-1-E3' })), 'ACCEPTED');
  });
});

describe('sessions, tokens and reservations of others', () => {
  it('when STOP_SESSION names an unknown session, then UNKNOWN_SESSION', async () => {
    expectCommandResponse(await sendCommand(node, a, 'STOP_SESSION', commandBody(a, 'STOP_SESSION', { session_id: 'S-404' })), 'UNKNOWN_SESSION');
    await nothingForwarded();
  });

  it('when STOP_SESSION names another eMSP’s session, then REJECTED', async () => {
    expectCommandResponse(await sendCommand(node, b, 'STOP_SESSION', commandBody(b, 'STOP_SESSION')), 'REJECTED');
    expect(csms.calls).toHaveLength(0);
  });

  it.each(['START_SESSION', 'RESERVE_NOW'])('when %s carries a token of another party, then REJECTED', async (command) => {
    expectCommandResponse(await sendCommand(node, a, command, commandBody(a, command, { token: tokenBody('FR', 'BBB', 'U9') })), 'REJECTED');
    await nothingForwarded();
  });

  it('when CANCEL_RESERVATION names a reservation_id the eMSP never used, then REJECTED', async () => {
    expectCommandResponse(await sendCommand(node, a, 'CANCEL_RESERVATION', commandBody(a, 'CANCEL_RESERVATION', { reservation_id: 'R-404' })), 'REJECTED');
    await nothingForwarded();
  });
});

describe('the CSMS does not take the command', () => {
  it('when the webhook answers 500, then REJECTED, and no CommandResult follows even after the timeout', async () => {
    csms.status = 500;
    expectCommandResponse(await sendCommand(node, a, 'UNLOCK_CONNECTOR', commandBody(a, 'UNLOCK_CONNECTOR')), 'REJECTED');
    expect(csms.calls).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(a.emsp.commandResults()).toHaveLength(0);
    const stored = await db.prisma.command.findFirstOrThrow();
    expect(stored.status).toBe('REJECTED');
  });
});

describe('bad requests', () => {
  it('when the body does not match the command, then 400 / 2001 and nothing is stored', async () => {
    expectOcpi(await sendCommand(node, a, 'START_SESSION', commandBody(a, 'STOP_SESSION')), 400, 2001);
    expectOcpi(await sendCommand(node, a, 'UNLOCK_CONNECTOR', commandBody(a, 'UNLOCK_CONNECTOR', { connector_id: undefined })), 400, 2001);
    expectOcpi(await sendCommand(node, a, 'START_SESSION', commandBody(a, 'START_SESSION', { evse_uid: undefined })), 400, 2001);
    expectOcpi(await sendCommand(node, a, 'STOP_SESSION', commandBody(a, 'STOP_SESSION', { response_url: 'not a url' })), 400, 2001);
    expect(await db.prisma.command.count()).toBe(0);
    expect(csms.calls).toHaveLength(0);
  });

  it('when the path names no CommandType, then 404; a GET, then 405; no token, then 401', async () => {
    expectOcpi(await sendCommand(node, a, 'REBOOT', {}), 404, 2000);
    expectOcpi(await request(node.baseUrl).get(`${COMMANDS}/START_SESSION`).set('Authorization', a.auth), 405, 2000);
    expectOcpi(await request(node.baseUrl).post(`${COMMANDS}/START_SESSION`).send(commandBody(a, 'START_SESSION')), 401, 2000);
  });
});

describe('no charger port', () => {
  it('when CHARGER_PORT=none, then every command is NOT_SUPPORTED and logged', async () => {
    const bare = await startTestApp(db, { env: { CHARGER_PORT: 'none' } });
    try {
      const res = await request(bare.baseUrl).post(`${COMMANDS}/UNLOCK_CONNECTOR`).set('Authorization', a.auth).send(commandBody(a, 'UNLOCK_CONNECTOR'));
      expectOcpi(res, 200, 1000);
      expect(res.body.data.result).toBe('NOT_SUPPORTED');
      expect(bare.logLines.some((line) => line.includes('no charger port'))).toBe(true);
    } finally {
      await bare.close();
    }
  });
});
