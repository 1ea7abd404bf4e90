import { FakeEmsp } from '../helpers/fake-emsp';
import { locationBody } from '../helpers/location-factory';
import { cleanEnv, freshDatabaseEnv, killAllNodes, removeTempDirs, startNode } from '../helpers/node-process';
import { AdminClient, partnerCopyDifferences, pushEnv, regressions, registerEmsp, waitForEmptyQueue, waitUntil } from '../helpers/push-process';
import { runDatabasePrefix } from '../helpers/test-database';

/**
 * Issue 4 points 3 and 5, pinned down with one real node process and a slow eMSP: what a coalesced
 * delivery sends, in which order, and what happens after an attempt the eMSP applied but the node
 * did not see acknowledged. Each test uses its own location, so they share the node.
 */

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'push-order-admin-token-0123456789';
// A retry comes 0.5-1 s after a failure: later than the eMSP applies a timed-out PATCH (1.7 s after it arrived).
const PUSH_ENV = pushEnv({ PUSH_BACKOFF_BASE_MS: '1000', PUSH_BACKOFF_MAX_MS: '2000' });

let admin: AdminClient;
let emsp: FakeEmsp;
let partnerId: string;

beforeAll(async () => {
  const database = await freshDatabaseEnv(`${runDatabasePrefix()}push_order`);
  const node = await startNode(cleanEnv({ ...database.env, ADMIN_TOKEN, ...PUSH_ENV }));
  admin = new AdminClient(node.baseUrl, ADMIN_TOKEN);
  emsp = await new FakeEmsp().start();
  partnerId = await registerEmsp(admin, emsp);
});
afterAll(async () => {
  await emsp?.stop();
  await killAllNodes();
  removeTempDirs();
});

const evse = (location: string, uid: string) => `/admin/locations/${location}/evses/${uid}`;
const receiverPath = (...ids: string[]) => `/ocpi/2.2.1/locations/NL/CPO/${ids.join('/')}`;

/** A location the eMSP has acknowledged (PUT and answered), then every push of the eMSP slowed to `delayMs`. */
async function acknowledged(id: string, delayMs: number): Promise<void> {
  emsp.pushDelayMs = 0;
  await admin.put(`/admin/locations/${id}`, locationBody(id));
  await waitForEmptyQueue(admin, partnerId, 10_000);
  emsp.pushDelayMs = delayMs;
}

/** Waits until a push to `path` has reached the eMSP (it is now in flight, held by the eMSP's delay). */
async function pushArrived(path: string, status?: string): Promise<void> {
  await waitUntil(`a push to ${path}`, () => emsp.requests.some((r) => r.path === path && (status === undefined || (r.body as { status?: string }).status === status)), 10_000, 5);
}

async function settled(): Promise<void> {
  await waitForEmptyQueue(admin, partnerId, 20_000);
  await waitUntil('no push in flight at the eMSP', () => emsp.inFlightPushes === 0, 10_000);
}

const pushesUnder = (id: string) => emsp.requests.filter((r) => r.path.startsWith(receiverPath(id)));

describe('coalesced deliveries: the order of the requests', () => {
  it('when two EVSEs change one at a time and each push is answered before the next change, then the eMSP copy equals the node, last_updated included', async () => {
    await acknowledged('ORD0', 0);
    await admin.patch(evse('ORD0', 'ORD0-E2'), { status: 'BLOCKED' });
    await settled();
    await admin.patch(evse('ORD0', 'ORD0-E1'), { status: 'CHARGING' });
    await settled();
    expect(await partnerCopyDifferences(admin, emsp, ['ORD0'])).toEqual([]);
    expect(regressions(pushesUnder('ORD0'), 'held:')).toEqual([]);
  });

  it('when, during a push of a location, its second EVSE changes and then its first, then the eMSP ends with the node location last_updated (the later EVSE PATCH must not come first)', async () => {
    await acknowledged('ORD1', 1000);
    await admin.patch(evse('ORD1', 'ORD1-E1'), { status: 'CHARGING' });
    await pushArrived(receiverPath('ORD1', 'ORD1-E1'), 'CHARGING');
    await admin.patch(evse('ORD1', 'ORD1-E2'), { status: 'BLOCKED' });
    await admin.patch(evse('ORD1', 'ORD1-E1'), { status: 'AVAILABLE' });
    await settled();

    // The receiver sets the location's last_updated from each EVSE PATCH: the newer one has to come last.
    expect(await partnerCopyDifferences(admin, emsp, ['ORD1'])).toEqual([]);
    expect(regressions(pushesUnder('ORD1'), 'held:')).toEqual([]);
  });

  it('when, during a push of a location, an EVSE status changes and then a location field, then the eMSP ends with the node location last_updated (the location PATCH must not precede older EVSE PATCHes)', async () => {
    await acknowledged('ORD2', 1000);
    await admin.patch(evse('ORD2', 'ORD2-E2'), { status: 'CHARGING' });
    await pushArrived(receiverPath('ORD2', 'ORD2-E2'), 'CHARGING');
    await admin.patch(evse('ORD2', 'ORD2-E1'), { status: 'BLOCKED' });
    await admin.patch('/admin/locations/ORD2', { name: 'Renamed during a push' });
    await settled();

    expect(await partnerCopyDifferences(admin, emsp, ['ORD2'])).toEqual([]);
    expect(regressions(pushesUnder('ORD2'), 'held:')).toEqual([]);
  });
});

describe('an attempt the eMSP applied but the node saw fail', () => {
  it('when an EVSE PATCH timed out at the node after reaching the eMSP, and the EVSE then returned to the status the eMSP had acknowledged, then the eMSP ends with that status', async () => {
    await acknowledged('ORD3', 1700); // PARTNER_TIMEOUT_MS is 1500: the node gives up on the answer, the eMSP applies it at 1.7 s
    await admin.patch(evse('ORD3', 'ORD3-E1'), { status: 'CHARGING' });
    await pushArrived(receiverPath('ORD3', 'ORD3-E1'), 'CHARGING');
    const arrivedAt = emsp.requests.find((r) => r.path === receiverPath('ORD3', 'ORD3-E1'))!.receivedAt!;
    emsp.pushDelayMs = 0;
    await admin.patch(evse('ORD3', 'ORD3-E1'), { status: 'AVAILABLE' });
    // The node closed the timed-out connection, but the eMSP applied that PATCH once its 1.7 s were up,
    // before the node's retry (0.5-1 s after the timeout at 1.5 s).
    await waitUntil('the eMSP applied the timed-out PATCH', () => Date.now() > arrivedAt + 1700 + 300, 5_000);
    await settled();
    const after = emsp.requests.filter((r) => r.path === receiverPath('ORD3', 'ORD3-E1') && r.receivedAt! > arrivedAt);

    const node = (await admin.get(evse('ORD3', 'ORD3-E1'))).body.data;
    const theirs = emsp.locations.get('NL/CPO/ORD3')?.evses?.find((e: { uid: string }) => e.uid === 'ORD3-E1');
    expect(after.every((r) => r.receivedAt! > arrivedAt + 1700)).toBe(true); // the retry came after the late PATCH was applied
    expect({ status: theirs?.status, last_updated: theirs?.last_updated }).toEqual({ status: node.status, last_updated: node.last_updated });
  });
});
