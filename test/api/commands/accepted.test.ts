import { FakeCsms } from '../../helpers/fake-csms';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import type { TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminCommand, commandBody, expectCommandResult, putCommandPlace, putSession, registerEmsp, reportResult, sendCommand,
  startCommandNode, waitFor, type RegisteredEmsp,
} from './command-api';

/** Commands the CSMS takes (webhook charger port): forwarded, answered ACCEPTED, their result delivered once. */

const db = databasePerSuite();
let node: TestApp;
let csms: FakeCsms;
let a: RegisteredEmsp;
let b: RegisteredEmsp;

beforeEach(async () => {
  csms = await new FakeCsms().start();
  node = await startCommandNode(db, csms, { COMMAND_TIMEOUT_S: '5' });
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

describe('each command, accepted through the webhook', () => {
  const commands = ['START_SESSION', 'STOP_SESSION', 'RESERVE_NOW', 'CANCEL_RESERVATION', 'UNLOCK_CONNECTOR'];

  it.each(commands)('when %s is taken by the CSMS and it reports ACCEPTED, then the eMSP gets exactly one bare CommandResult at its response_url', async (command) => {
    if (command === 'CANCEL_RESERVATION') {
      await sendCommand(node, a, 'RESERVE_NOW', commandBody(a, 'RESERVE_NOW'));
      csms.calls.length = 0;
    }
    const body = commandBody(a, command);
    const res = await sendCommand(node, a, command, body);
    expectOcpi(res, 200, 1000);
    expect(res.body.data).toEqual({ result: 'ACCEPTED', timeout: 5 });
    expect(res.headers['ocpi-from-country-code']).toBe('NL');

    expect(csms.calls).toHaveLength(1);
    const forwarded = csms.calls[0]!.body;
    expect(forwarded.command).toBe(command);
    expect(forwarded.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(forwarded.response_url).toBeUndefined();
    expect(forwarded.location_id).toBe('LOC-1');

    const before = a.emsp.commandResults().length;
    const reported = await reportResult(node, forwarded.id, { result: 'ACCEPTED' });
    expectOcpi(reported, 200, 1000);
    expect(reported.body.data.result).toBe('ACCEPTED');
    await waitFor(() => a.emsp.commandResults().length, before + 1);
    const posted = a.emsp.commandResults().at(-1);
    expect(posted!.path).toBe(new URL(body.response_url as string).pathname);
    expectCommandResult(posted, a, { result: 'ACCEPTED' });

    const shown = await adminCommand(node, forwarded.id);
    expectOcpi(shown, 200, 1000);
    expect(shown.body.data).toMatchObject({ id: forwarded.id, command, status: 'ACCEPTED', result: 'ACCEPTED', partner_id: a.id });
    // Sent once: nothing more arrives, even after the deadline has passed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.emsp.commandResults()).toHaveLength(before + 1);
    expect(b.emsp.commandResults()).toHaveLength(0);
  });

  it('when START_SESSION is forwarded, then the CSMS gets the token, the authorization_reference and the resolved ids', async () => {
    await sendCommand(node, a, 'START_SESSION', commandBody(a, 'START_SESSION', { location_id: 'loc-1', evse_uid: 'loc-1-e1' }));
    expect(csms.calls[0]!.body).toMatchObject({
      command: 'START_SESSION', location_id: 'LOC-1', evse_uid: 'LOC-1-E1', connector_id: '1', authorization_reference: 'AUTH-1',
      token: { country_code: 'DE', party_id: 'AAA', uid: 'U1' },
    });
  });

  it('when STOP_SESSION is forwarded, then the CSMS gets the session with its place', async () => {
    await sendCommand(node, a, 'STOP_SESSION', commandBody(a, 'STOP_SESSION', { session_id: 's-1' }));
    expect(csms.calls[0]!.body).toEqual({ id: expect.any(String), command: 'STOP_SESSION', session_id: 'S-1', location_id: 'LOC-1', evse_uid: 'LOC-1-E1', connector_id: '1' });
  });

  it('when the CSMS reports a failure with a message, then the eMSP gets that result and message', async () => {
    await sendCommand(node, a, 'UNLOCK_CONNECTOR', commandBody(a, 'UNLOCK_CONNECTOR'));
    const message = [{ language: 'en', text: 'Cable stuck' }];
    expectOcpi(await reportResult(node, csms.calls[0]!.body.id, { result: 'FAILED', message }), 200, 1000);
    await waitFor(() => a.emsp.commandResults().length, 1);
    expectCommandResult(a.emsp.commandResults()[0], a, { result: 'FAILED', message });
  });

  it('when the CSMS reports a result twice, then the second is 409 and the eMSP still gets one CommandResult', async () => {
    await sendCommand(node, a, 'UNLOCK_CONNECTOR', commandBody(a, 'UNLOCK_CONNECTOR'));
    const id = csms.calls[0]!.body.id;
    expectOcpi(await reportResult(node, id, { result: 'ACCEPTED' }), 200, 1000);
    expectOcpi(await reportResult(node, id, { result: 'FAILED' }), 409, 2000);
    await waitFor(() => a.emsp.commandResults().length, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.emsp.commandResults()).toHaveLength(1);
    expect(a.emsp.commandResults()[0]!.body).toEqual({ result: 'ACCEPTED' });
  });

  it('when a result names an unknown command or is not a CommandResultType, then 404 / 400', async () => {
    expectOcpi(await reportResult(node, '6f1c1d3e-1111-4222-8333-944455556666', { result: 'ACCEPTED' }), 404, 2000);
    expectOcpi(await reportResult(node, 'not-a-uuid', { result: 'ACCEPTED' }), 404, 2000);
    expectOcpi(await adminCommand(node, 'not-a-uuid'), 404, 2000);
    await sendCommand(node, a, 'UNLOCK_CONNECTOR', commandBody(a, 'UNLOCK_CONNECTOR'));
    expectOcpi(await reportResult(node, csms.calls[0]!.body.id, { result: 'DONE' }), 400, 2001);
  });
});

describe('reservation ids', () => {
  it('when two eMSPs reserve with the same reservation_id, then the CSMS gets two different ids of ours; the same eMSP again gets the same one', async () => {
    await sendCommand(node, a, 'RESERVE_NOW', commandBody(a, 'RESERVE_NOW'));
    await sendCommand(node, b, 'RESERVE_NOW', commandBody(b, 'RESERVE_NOW'));
    await sendCommand(node, a, 'RESERVE_NOW', commandBody(a, 'RESERVE_NOW', { reservation_id: 'r-1' }));
    const [first, other, again] = csms.calls.map((c) => c.body.reservation_id as string);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(other).not.toBe(first);
    expect(again).toBe(first);
    expect(first).not.toBe('R-1');
  });

  it('when an eMSP cancels its own reservation, then the CSMS gets our id; cancelling another eMSP’s reservation_id is REJECTED', async () => {
    await sendCommand(node, a, 'RESERVE_NOW', commandBody(a, 'RESERVE_NOW'));
    const ours = csms.calls[0]!.body.reservation_id;
    const cancelled = await sendCommand(node, a, 'CANCEL_RESERVATION', commandBody(a, 'CANCEL_RESERVATION'));
    expect(cancelled.body.data.result).toBe('ACCEPTED');
    expect(csms.calls[1]!.body).toMatchObject({ command: 'CANCEL_RESERVATION', reservation_id: ours, location_id: 'LOC-1', evse_uid: 'LOC-1-E1' });
    const foreign = await sendCommand(node, b, 'CANCEL_RESERVATION', commandBody(b, 'CANCEL_RESERVATION'));
    expectOcpi(foreign, 200, 1000);
    expect(foreign.body.data.result).toBe('REJECTED');
    expect(csms.calls).toHaveLength(2);
  });
});
