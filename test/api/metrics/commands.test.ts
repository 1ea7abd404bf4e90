import { FakeCsms } from '../../helpers/fake-csms';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import type { TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import {
  commandBody, expectCommandResponse, putCommandPlace, registerEmsp, reportResult, sendCommand, startCommandNode, waitFor, type RegisteredEmsp,
} from '../commands/command-api';
import { eventually } from '../push/push-harness';
import { scrape } from './metrics-api';

/** Issue 13 item 1: commands by outcome, both the immediate CommandResponse and the later CommandResult. */

const db = databasePerSuite();
let node: TestApp;
let csms: FakeCsms;
let emsp: RegisteredEmsp;

beforeEach(async () => {
  csms = await new FakeCsms().start();
  node = await startCommandNode(db, csms);
  emsp = await registerEmsp(node, { countryCode: 'DE', partyId: 'AAA' });
  await putCommandPlace(node);
});

afterEach(async () => {
  await emsp?.emsp.stop();
  await node?.close();
  await csms?.stop();
});

it('when commands are accepted, refused, reported and timed out, then each response and result is counted by command type', async () => {
  expectCommandResponse(await sendCommand(node, emsp, 'START_SESSION', commandBody(emsp, 'START_SESSION')), 'ACCEPTED');
  expectCommandResponse(await sendCommand(node, emsp, 'UNLOCK_CONNECTOR', commandBody(emsp, 'UNLOCK_CONNECTOR', { evse_uid: 'LOC-1-E2' })), 'NOT_SUPPORTED');
  expectCommandResponse(await sendCommand(node, emsp, 'UNLOCK_CONNECTOR', commandBody(emsp, 'UNLOCK_CONNECTOR')), 'ACCEPTED');
  const started = csms.calls.find((call) => call.body.command === 'START_SESSION')!.body.id as string;
  expectOcpi(await reportResult(node, started, { result: 'FAILED' }), 200, 1000);
  // The unlock gets no report: past COMMAND_TIMEOUT_S (1 s) the eMSP is sent TIMEOUT.
  await waitFor(() => emsp.emsp.commandResults().length, 2);

  await eventually(async () => {
    const scraped = await scrape(node);
    const responses = (command: string, result: string) => scraped.value('ocpi_command_responses_total', { command, result });
    const results = (command: string, result: string) => scraped.value('ocpi_command_results_total', { command, result });
    expect(responses('START_SESSION', 'ACCEPTED')).toBe(1);
    expect(responses('UNLOCK_CONNECTOR', 'NOT_SUPPORTED')).toBe(1);
    expect(responses('UNLOCK_CONNECTOR', 'ACCEPTED')).toBe(1);
    expect(results('START_SESSION', 'FAILED')).toBe(1);
    expect(results('UNLOCK_CONNECTOR', 'TIMEOUT')).toBe(1);
    expect(scraped.samples('ocpi_command_results_total')).toHaveLength(2);
  });
});
