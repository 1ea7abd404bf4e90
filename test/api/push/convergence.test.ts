import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import {
  adminLocation,
  at,
  eventually,
  expectPartnerHolds,
  pendingCount,
  registerPartner,
  settled,
  shape,
  startPushNode,
  SteppedClock,
  type Partner,
  type PushNode,
} from './push-harness';

/** Issue 4.3 and 4.4: one pending delivery per (partner, object), never stale, and a hanging partner delays no one else. */

const db = databasePerSuite();
let node: PushNode | undefined;
const partners: Partner[] = [];

afterEach(async () => {
  for (const p of partners.splice(0)) await p.emsp.stop();
  await node?.close();
  node = undefined;
});

async function setup(env: Record<string, string> = {}, count = 1, clock?: SteppedClock): Promise<[PushNode, ...Partner[]]> {
  node = await startPushNode(db, env, clock);
  for (let i = 0; i < count; i++) partners.push(await registerPartner(node, { partyId: `MS${i}` }));
  return [node, ...partners];
}

async function acknowledged(n: PushNode, p: Partner, id = 'LOC1'): Promise<void> {
  expectOcpi(await n.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
  await settled(db, p);
}

describe('at most one pending delivery per partner and object', () => {
  it('when an EVSE changes 20 times while the partner is down, then one pending row carries them all and only the final state lands', async () => {
    const [n, p] = await setup();
    await acknowledged(n, p!);
    await p!.emsp.stop();
    for (let i = 0; i < 20; i++) {
      expectOcpi(await n.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: i % 2 === 0 ? 'CHARGING' : 'BLOCKED' }), 200, 1000);
      expect(await pendingCount(db, p!.id, 'LOC1')).toBe(1);
    }
    expect(await db.prisma.delivery.count({ where: { partnerId: p!.id } })).toBe(1);

    const before = p!.emsp.pushes().length;
    await p!.emsp.restart();
    await settled(db, p!);
    const ours = await adminLocation(n, 'LOC1');
    // One request with the final state (a full PUT: attempts failed while it was down).
    expect(p!.emsp.pushes().slice(before).map(shape)).toEqual([{ method: 'PUT', path: at('LOC1'), body: ours }]);
    await expectPartnerHolds(n, p!.emsp, 'LOC1');
  });

  it('when one EVSE changes status 1,000 times quickly, then the partner ends with the final state after far fewer requests, never going back in time', async () => {
    // The partner is slow but healthy: on a loaded machine no attempt may time out (that would make the next one a full PUT).
    const [n, p] = await setup({ PARTNER_TIMEOUT_MS: '30000' });
    const partner = p!;
    await acknowledged(n, partner);
    const before = partner.emsp.pushes().length;
    const statuses = ['CHARGING', 'BLOCKED', 'OUTOFORDER', 'INOPERATIVE', 'RESERVED', 'PLANNED', 'UNKNOWN', 'AVAILABLE'];
    const stateAt = new Map<string, string | null>(); // last_updated -> status (null: two states share the instant)
    const url = `${n.baseUrl}/admin/locations/LOC1/evses/LOC1-E1`;
    const firstVersion = Number(/\d+/.exec((await n.admin.get('/admin/locations/LOC1/evses/LOC1-E1')).headers.etag as string)![0]);
    let lastVersion = firstVersion;
    let maxPending = 0;
    let next = 0;
    const started = Date.now();
    // Four writers at once, so the 1,000 changes come faster than one request at a time allows; each
    // PATCH carries `If-Match: *` (the writers overtake each other, so no ETag they read stays current).
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        while (next < 1000) {
          const i = next++;
          const status = statuses[i % statuses.length]!;
          const res = await fetch(url, {
            method: 'PATCH',
            headers: { Authorization: `Bearer ${n.adminToken}`, 'If-Match': '*', 'Content-Type': 'application/json' },
            body: JSON.stringify({ status }),
          });
          const body = (await res.json()) as { data: { last_updated: string; status: string } };
          expect(res.status).toBe(200);
          lastVersion = Math.max(lastVersion, Number(/\d+/.exec(res.headers.get('etag')!)![0]));
          const seen = stateAt.get(body.data.last_updated);
          stateAt.set(body.data.last_updated, seen === undefined || seen === body.data.status ? body.data.status : null);
          if (i % 50 === 0) maxPending = Math.max(maxPending, await pendingCount(db, partner.id, 'LOC1'));
          // The eMSP answers slower than we write (20-50 ms on an idle machine); on a loaded machine the
          // writes slow down too, so the delay follows the measured pace to keep changes piling up.
          if (i === 40) partner.emsp.pushDelayMs = Math.min(400, Math.max(30, Math.round((5 * (Date.now() - started)) / 40)));
        }
      }),
    );
    const changesDone = Date.now();
    const final = (await adminLocation(n, 'LOC1')).evses[0].status as string;
    await settled(db, partner, 15000);
    const received = partner.emsp.pushes().slice(before);

    expect(lastVersion - firstVersion).toBeGreaterThan(900); // real changes (a PATCH that repeats the status changes nothing)
    expect(maxPending).toBe(1);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(300);
    const failedAttempts = n.logLines.filter((line) => line.includes('"push attempt"') && line.includes('"failed"'));
    expect(failedAttempts).toEqual([]);
    expect(received.filter((r) => r.method !== 'PATCH' || r.path !== at('LOC1', 'LOC1-E1') || r.fault !== undefined)).toEqual([]);
    const times = received.map((r) => Date.parse((r.body as { last_updated: string }).last_updated));
    times.forEach((t, i) => expect(i === 0 || t >= times[i - 1]!).toBe(true));
    for (const r of received) {
      // {status, last_updated}; or just {last_updated} when the status came back to what the partner holds.
      const body = r.body as { status?: string; last_updated: string };
      expect(['last_updated', 'last_updated,status']).toContain(Object.keys(body).sort().join());
      const known = stateAt.get(body.last_updated);
      if (known !== null && body.status !== undefined) expect({ at: body.last_updated, status: body.status }).toEqual({ at: body.last_updated, status: known });
    }
    const statusesSent = received.map((r) => (r.body as { status?: string }).status).filter((s) => s !== undefined);
    expect(statusesSent.at(-1)).toBe(final);
    expect(partner.emsp.locations.get('NL/CPO/LOC1')!.evses[0].status).toBe(final);
    await expectPartnerHolds(n, partner.emsp, 'LOC1');
    process.stdout.write(
      `[push] 1000 status PATCHes (${lastVersion - firstVersion} real changes) in ${changesDone - started} ms, eMSP delay ${partner.emsp.pushDelayMs} ms -> ` +
        `${received.length} requests to the partner, converged ${Date.now() - changesDone} ms after the last change\n`,
    );
  }, 120_000);
});

describe('a hanging partner does not delay the others', () => {
  it('when one partner never answers, then a healthy partner still converges on 40 changed locations within two seconds', async () => {
    const [n, healthy, hanging] = await setup({ PARTNER_TIMEOUT_MS: '1500' }, 2);
    hanging!.emsp.failPushes('hang');
    const ids = Array.from({ length: 40 }, (_, i) => `L${String(i).padStart(2, '0')}`);
    const started = Date.now();
    for (const id of ids) expectOcpi(await n.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
    const written = Date.now();

    await eventually(async () => {
      expect(healthy!.emsp.locations.size).toBe(ids.length);
      expect(await pendingCount(db, healthy!.id)).toBe(0);
    }, 5000, 10);
    const converged = Date.now();
    expect(converged - written).toBeLessThan(2000);
    expect(await pendingCount(db, hanging!.id)).toBeGreaterThan(0);
    expect(hanging!.emsp.locations.size).toBe(0);
    for (const id of ids.slice(0, 5)) await expectPartnerHolds(n, healthy!.emsp, id);
    process.stdout.write(`[push] 40 locations written in ${written - started} ms; healthy partner converged ${converged - written} ms later\n`);
  });

  it('when one request to a partner hangs while its others complete, then it still never holds more than PUSH_PER_PARTNER_CONCURRENCY requests at once', async () => {
    const [n, slow] = await setup({ PARTNER_TIMEOUT_MS: '3000', PUSH_PER_PARTNER_CONCURRENCY: '2', PUSH_CONCURRENCY: '8' });
    slow!.emsp.failPushes('hang', 1); // the first request hangs; the others take 150 ms each
    slow!.emsp.pushDelayMs = 150;
    for (let i = 0; i < 8; i++) expectOcpi(await n.admin.put(`/admin/locations/H${i}`, locationBody(`H${i}`)), 201, 1000);
    await eventually(() => expect(slow!.emsp.pushes().length).toBeGreaterThanOrEqual(6), 8000);
    expect(slow!.emsp.maxInFlightPushes).toBeLessThanOrEqual(2);
  });
});

describe('changes coalesced into one delivery keep last_updated right at the partner', () => {
  /** Writes made one second apart while the partner is down, so one delivery carries all of them. */
  async function whileDown(writes: ((n: PushNode) => Promise<unknown>)[]): Promise<{ n: PushNode; p: Partner }> {
    const clock = new SteppedClock();
    const [n, p] = await setup({}, 1, clock);
    clock.advance();
    await acknowledged(n, p!);
    await p!.emsp.stop();
    for (const write of writes) {
      clock.advance();
      await write(n);
    }
    await p!.emsp.restart();
    await settled(db, p!);
    return { n, p: p! };
  }
  const evseStatus = (uid: string, status: string) => async (n: PushNode) =>
    expectOcpi(await n.admin.patch(`/admin/locations/LOC1/evses/${uid}`, { status }), 200, 1000);

  it('when an EVSE status changes and later the location name, then the partner holds our location last_updated', async () => {
    const { n, p } = await whileDown([evseStatus('LOC1-E1', 'CHARGING'), async (node) => expectOcpi(await node.admin.patch('/admin/locations/LOC1', { name: 'Later' }), 200, 1000)]);
    await expectPartnerHolds(n, p.emsp, 'LOC1');
  });

  it('when EVSE E2 changes and later EVSE E1, then the partner holds our location last_updated', async () => {
    const { n, p } = await whileDown([evseStatus('LOC1-E2', 'BLOCKED'), evseStatus('LOC1-E1', 'CHARGING')]);
    await expectPartnerHolds(n, p.emsp, 'LOC1');
  });

  it('when a connector changes and later its EVSE status, then the partner holds our EVSE and location last_updated', async () => {
    const { n, p } = await whileDown([
      async (node) => expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1/connectors/1', { max_amperage: 16 }), 200, 1000),
      evseStatus('LOC1-E1', 'CHARGING'),
    ]);
    await expectPartnerHolds(n, p.emsp, 'LOC1');
  });

  it('when changes happen at one instant per level, then the partner holds exactly our location (control case)', async () => {
    const e1 = evseBody('LOC1-E1', { status: 'BLOCKED' });
    e1.connectors[0] = connectorBody('1', { max_amperage: 20 });
    const { n, p } = await whileDown([
      async (node) => expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1', { name: 'Both', evses: [e1, evseBody('LOC1-E2')] })), 200, 1000),
    ]);
    await expectPartnerHolds(n, p.emsp, 'LOC1');
  });
});
