import { FakeCsms } from '../../helpers/fake-csms';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import type { TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminCommand, commandBody, expectCommandResponse, expectCommandResult, putCommandPlace, registerEmsp, reportResult, sendCommand, startCommandNode,
  waitFor, type RegisteredEmsp,
} from './command-api';

/** COMMAND_TIMEOUT_S = 1: the CSMS says nothing, the eMSP gets TIMEOUT, also across a restart of the node. */

const db = databasePerSuite();
let node: TestApp | undefined;
let csms: FakeCsms;
let a: RegisteredEmsp;

beforeEach(async () => {
  csms = await new FakeCsms().start();
  node = await startCommandNode(db, csms);
  a = await registerEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
  await putCommandPlace(node);
});

afterEach(async () => {
  await a?.emsp.stop();
  await node?.close();
  await csms?.stop();
});

it('when the CSMS reports nothing within COMMAND_TIMEOUT_S, then the eMSP gets one TIMEOUT after the deadline, and a late report is 409', async () => {
  const accepted = Date.now();
  expectCommandResponse(await sendCommand(node!, a, 'START_SESSION', commandBody(a, 'START_SESSION')), 'ACCEPTED');
  await waitFor(() => a.emsp.commandResults().length, 1, 5000);
  const posted = a.emsp.commandResults()[0]!;
  expect(posted.receivedAt! - accepted).toBeGreaterThanOrEqual(950);
  expectCommandResult(posted, a, { result: 'TIMEOUT' });
  const id = csms.calls[0]!.body.id as string;
  expectOcpi(await reportResult(node!, id, { result: 'ACCEPTED' }), 409, 2000);
  const shown = await adminCommand(node!, id);
  expect(shown.body.data).toMatchObject({ status: 'ACCEPTED', result: 'TIMEOUT' });
  expect(shown.body.data.delivered_at).not.toBeNull();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(a.emsp.commandResults()).toHaveLength(1);
});

it('when the node restarts on the same database before the deadline, then the accepted command still gets its TIMEOUT, once', async () => {
  expectCommandResponse(await sendCommand(node!, a, 'UNLOCK_CONNECTOR', commandBody(a, 'UNLOCK_CONNECTOR')), 'ACCEPTED');
  await node!.close();
  node = undefined;
  expect(a.emsp.commandResults()).toHaveLength(0);
  node = await startCommandNode(db, csms);
  await waitFor(() => a.emsp.commandResults().length, 1, 5000);
  expectCommandResult(a.emsp.commandResults()[0], a, { result: 'TIMEOUT' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(a.emsp.commandResults()).toHaveLength(1);
});

it('when the node restarts and the CSMS then reports the result, then the eMSP gets that result', async () => {
  await node!.close();
  node = await startCommandNode(db, csms, { COMMAND_TIMEOUT_S: '30' });
  expect((await sendCommand(node, a, 'UNLOCK_CONNECTOR', commandBody(a, 'UNLOCK_CONNECTOR'))).body.data).toEqual({ result: 'ACCEPTED', timeout: 30 });
  await node.close();
  node = await startCommandNode(db, csms, { COMMAND_TIMEOUT_S: '30' });
  expectOcpi(await reportResult(node, csms.calls[0]!.body.id, { result: 'ACCEPTED' }), 200, 1000);
  await waitFor(() => a.emsp.commandResults().length, 1, 5000);
  expectCommandResult(a.emsp.commandResults()[0], a, { result: 'ACCEPTED' });
});
