import { decodeToken, FakeEmsp, type RecordedRequest } from '../helpers/fake-emsp';
import { locationBody } from '../helpers/location-factory';
import { cleanEnv, freshDatabaseEnv, startNode, type NodeProcess } from '../helpers/node-process';
import {
  AdminClient,
  partnerCopyDifferences,
  pushEnv,
  pushesOf,
  regressions,
  registerEmsp,
  scenarioOnce,
  waitForEmptyQueue,
  waitUntil,
} from '../helpers/push-process';
import { runDatabasePrefix } from '../helpers/test-database';

/**
 * Issue 4, the way it will be checked: two eMSPs registered, locations changed through the admin API,
 * one eMSP taken down, the node SIGKILLed in the middle of the stream and restarted, the eMSP brought
 * back. Then each eMSP's copy is compared field by field with the node's locations, and every request
 * each received is checked for order, staleness and headers. One scenario (in beforeAll), one check per property.
 */

jest.setTimeout(120_000);

const ADMIN_TOKEN = 'push-acceptance-admin-token-0123456789';
const PUSH_ENV = pushEnv({ PUSH_MAX_ATTEMPTS: '1000' });
const IDS = ['A1', 'A2', 'A3', 'A4'];
const STATUSES = ['CHARGING', 'BLOCKED', 'AVAILABLE', 'OUTOFORDER'];

interface Emsp {
  name: string;
  emsp: FakeEmsp;
  partnerId: string;
}

interface Outcome {
  emsps: Emsp[];
  differences: Record<string, string[]>;
}


/** The n-th change of the stream: EVSE statuses round the locations, and now and then a location's name. */
function change(admin: AdminClient, n: number) {
  const id = IDS[n % IDS.length]!;
  if (n % 7 === 6) return admin.patch(`/admin/locations/${id}`, { name: `Renamed ${n}` });
  const evse = `${id}-E${1 + (Math.floor(n / IDS.length) % 2)}`;
  return admin.patch(`/admin/locations/${id}/evses/${evse}`, { status: STATUSES[n % STATUSES.length] });
}

async function scenario(): Promise<Outcome> {
  const database = await freshDatabaseEnv(`${runDatabasePrefix()}push_acceptance`);
  const env = cleanEnv({ ...database.env, ADMIN_TOKEN, ...PUSH_ENV });
  const up = await new FakeEmsp({ countryCode: 'DE', partyId: 'UPP' }).start();
  const down = await new FakeEmsp({ countryCode: 'BE', partyId: 'DWN' }).start();
  try {
    let node: NodeProcess = await startNode(env);
    let admin = new AdminClient(node.baseUrl, ADMIN_TOKEN);
    const emsps = [
      { name: 'stayed up', emsp: up, partnerId: await registerEmsp(admin, up) },
      { name: 'went down', emsp: down, partnerId: await registerEmsp(admin, down) },
    ];
    for (const id of IDS) await admin.put(`/admin/locations/${id}`, locationBody(id));
    for (const { partnerId } of emsps) await waitForEmptyQueue(admin, partnerId, 20_000);

    await down.stop();
    up.pushDelayMs = 300;
    for (let n = 0; n < 20; n++) await change(admin, n);
    // The kill comes while pushes are in flight (the scenario fails if none ever are).
    await waitUntil('pushes in flight at the eMSP that is up', () => up.inFlightPushes > 0, 10_000, 5);
    process.kill(node.pid, 'SIGKILL');
    await node.exited;

    node = await startNode(env);
    admin = admin.on(node.baseUrl);
    for (let n = 20; n < 40; n++) await change(admin, n);
    await admin.put('/admin/locations/A5', locationBody('A5'));
    up.pushDelayMs = 0;
    await down.restart();
    for (const { partnerId } of emsps) await waitForEmptyQueue(admin, partnerId, 60_000);
    await waitUntil('no push left in flight', () => up.inFlightPushes === 0 && down.inFlightPushes === 0, 5_000);

    const differences: Record<string, string[]> = {};
    for (const { name, emsp } of emsps) differences[name] = await partnerCopyDifferences(admin, emsp, [...IDS, 'A5']);
    return { emsps, differences };
  } finally {
    await up.stop();
    await down.stop();
  }
}

const result = scenarioOnce(scenario);

/** What is wrong with the headers of one push the eMSP received (empty when nothing is). */
function headerProblems(request: RecordedRequest, emsp: FakeEmsp): string[] {
  const h = request.headers;
  const problems: string[] = [];
  const token = decodeToken(h.authorization);
  if (!token || !emsp.acceptedTokens.has(token)) problems.push(`Authorization ${h.authorization ?? '(none)'}`);
  if (!/^\S{1,255}$/.test(String(h['x-request-id'] ?? ''))) problems.push(`X-Request-ID ${h['x-request-id'] ?? '(none)'}`);
  if (!/^\S{1,255}$/.test(String(h['x-correlation-id'] ?? ''))) problems.push(`X-Correlation-ID ${h['x-correlation-id'] ?? '(none)'}`);
  const routing = [h['ocpi-from-country-code'], h['ocpi-from-party-id'], h['ocpi-to-country-code'], h['ocpi-to-party-id']];
  if (JSON.stringify(routing) !== JSON.stringify(['NL', 'CPO', emsp.countryCode, emsp.partyId])) problems.push(`routing ${routing.join('/')}`);
  return problems.map((problem) => `${request.method} ${request.path}: ${problem}`);
}

/** Each eMSP by its index in the outcome, named for the test titles. */
const EACH_EMSP = [
  ['stayed up', 0],
  ['went down', 1],
] as const;

describe('two eMSPs, one down for a while, the node SIGKILLed mid-stream and restarted', () => {
  it.each(EACH_EMSP)('then the eMSP that %s holds every location equal to the node, field by field', (_name, index) => {
    const { emsps, differences } = result();
    expect(differences[emsps[index]!.name]).toEqual([]);
  });

  it.each(EACH_EMSP)('then the eMSP that %s never received an older last_updated after a newer one, nor holds one', (_name, index) => {
    const requests = result().emsps[index]!.emsp.requests;
    expect(regressions(requests, 'sent:')).toEqual([]);
    expect(regressions(requests, 'held:')).toEqual([]);
  });

  it.each(EACH_EMSP)('then every push the eMSP that %s received is a PUT or PATCH with its token, request and correlation ids and routing headers', (_name, index) => {
    const { emsp } = result().emsps[index]!;
    const received = emsp.requests.filter((r) => r.path.startsWith('/ocpi/2.2.1/locations'));
    expect(received.length).toBeGreaterThan(IDS.length);
    expect(received.filter((r) => r.method !== 'PUT' && r.method !== 'PATCH').map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(pushesOf(received).flatMap((r) => headerProblems(r, emsp))).toEqual([]);
  });

  it('then no X-Request-ID was used twice', () => {
    const ids = result().emsps.flatMap(({ emsp }) => pushesOf(emsp.requests).map((r) => r.headers['x-request-id']));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
