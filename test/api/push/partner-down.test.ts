import { DownPartner } from '../../helpers/down-partner';
import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { regressions } from '../../helpers/push-process';
import { databasePerSuite } from '../../helpers/test-database';
import { eventually, expectPartnerHolds, ISO_TIME, logEntries, nodeWithPartnerPerTest, quietFor, settled, type Partner, type PushNode } from './push-harness';

/**
 * Issue 8 item 6, the way it will be checked: a partner is taken down with hundreds of deliveries
 * pending, and the attempts it receives are counted. It is probed, not hammered: after
 * PUSH_UNREACHABLE_AFTER transport failures its deliveries pause and one probe at a time retries with
 * backoff; once a probe is answered, every delivery goes out, in order, and the partner converges.
 *
 * Down three ways: the port resets every connection, the port accepts and never answers (timeouts),
 * or nothing listens (refused; attempts are then counted from the node's "push attempt" log lines).
 */

jest.setTimeout(120_000);

const db = databasePerSuite();
const startNodeWithPartner = nodeWithPartnerPerTest(db);
/** A test that fails before bringing its partner back must not leave the port held (jest would never exit). */
const downPartners: DownPartner[] = [];
afterEach(async () => {
  for (const down of downPartners.splice(0)) await down.stop();
});

const THRESHOLD = 3;
const PER_PARTNER = 16;
const BACKOFF_MAX_MS = 1000;
const WINDOW_MS = 2000;
const ENV = {
  PUSH_UNREACHABLE_AFTER: String(THRESHOLD),
  PUSH_PER_PARTNER_CONCURRENCY: String(PER_PARTNER),
  PUSH_BACKOFF_BASE_MS: '100',
  PUSH_BACKOFF_MAX_MS: String(BACKOFF_MAX_MS),
  PUSH_MAX_ATTEMPTS: '5',
};

type Mode = 'reset' | 'hang' | 'refused';

async function reachabilityOf(node: PushNode, partnerId: string): Promise<Record<string, any>> {
  const res = await node.admin.get(`/admin/partners/${partnerId}`);
  expectOcpi(res, 200, 1000);
  return res.body.data.reachability;
}

/** Locations created through the admin API, a few requests at a time. */
async function createLocations(node: PushNode, ids: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** The node's log lines about one partner, with their time. */
function partnerLog(node: PushNode, partner: Partner): Record<string, any>[] {
  return logEntries(node)
    .filter((e) => e.partner === partner.id)
    .map((e) => ({ ...e, at: Date.parse(e.timestamp as string) }));
}

describe.each([
  ['resets every connection', 'reset', 300, '2000'],
  ['accepts connections and never answers', 'hang', 200, '300'],
  ['refuses connections (nothing listens)', 'refused', 200, '2000'],
] as const)('a partner that %s, with hundreds of deliveries pending', (_label, mode: Mode, count, timeoutMs) => {
  it('then it gets a handful of attempts (the threshold, what was in flight, one probe at a time), shows UNREACHABLE, and converges in order once back', async () => {
    const { node, partner } = await startNodeWithPartner({ ...ENV, PARTNER_TIMEOUT_MS: timeoutMs });
    const ids = Array.from({ length: count }, (_, i) => `R${String(i).padStart(3, '0')}`);
    const port = Number(new URL(partner.emsp.baseUrl).port);
    await partner.emsp.stop();
    const down = mode === 'refused' ? undefined : await DownPartner.listen(port, mode);
    if (down) downPartners.push(down);
    const failedAttempts = () => partnerLog(node, partner).filter((e) => e.message === 'push attempt' && e.outcome === 'failed');
    const attemptsBetween = (from: number, to = Infinity) =>
      down ? down.connectionsBetween(from, to) : failedAttempts().filter((e) => e.at >= from && e.at < to).length;

    await createLocations(node, ids);
    const state = await eventually(async () => {
      const reachability = await reachabilityOf(node, partner.id);
      expect(reachability.state).toBe('UNREACHABLE');
      return reachability;
    }, 10_000);
    expect(state).toEqual({
      state: 'UNREACHABLE',
      since: expect.stringMatching(ISO_TIME),
      next_probe_at: expect.stringMatching(ISO_TIME),
      consecutive_failures: THRESHOLD,
      failed_probes: expect.any(Number),
    });
    const list = await node.admin.get('/admin/partners');
    expect(list.body.data.find((p: { id: string }) => p.id === partner.id).reachability).toMatchObject({ state: 'UNREACHABLE', since: state.since });

    // Several backoff rounds, once the backoff is capped (probes at most BACKOFF_MAX_MS apart, at least half that).
    await eventually(async () => expect((await reachabilityOf(node, partner.id)).failed_probes).toBeGreaterThanOrEqual(4), 10_000);
    const windowFrom = Date.now();
    await quietFor(WINDOW_MS);
    const inWindow = attemptsBetween(windowFrom, windowFrom + WINDOW_MS);
    const pending = await db.prisma.delivery.findMany({ where: { partnerId: partner.id, status: 'PENDING' }, orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }] });
    process.stdout.write(`[partner down: ${mode}] ${count} pending, ${attemptsBetween(0)} attempts while down, ${inWindow} in the ${WINDOW_MS} ms window\n`);
    expect({ pending: pending.length, inWindow: inWindow >= 1 && inWindow <= WINDOW_MS / (BACKOFF_MAX_MS / 2) + 1 }).toEqual({ pending: count, inWindow: true });
    // Paused deliveries are not attempted: only the failures that counted towards the threshold are attempts.
    expect(pending.reduce((sum, d) => sum + d.attempts, 0)).toBe(THRESHOLD);

    // Every attempt is a connection; each is a counted failure, a delivery that was already in flight, or a probe.
    // A probe may be under way (its connection open, its timeout not come yet): wait until each connection has its line.
    if (down) await eventually(async () => expect(failedAttempts()).toHaveLength(down.connections), 5_000);
    const lines = failedAttempts();
    const counted = lines.filter((e) => e.level === 'warn');
    const paused = lines.filter((e) => e.level === 'debug' && e.partner_unreachable === true);
    const probes = partnerLog(node, partner).filter((e) => e.message === 'partner probe');
    expect(counted).toHaveLength(THRESHOLD);
    expect(paused.length).toBeLessThanOrEqual(PER_PARTNER - THRESHOLD);
    expect(probes.every((p) => p.level === 'info' && p.outcome === 'unreachable' && ISO_TIME.test(p.next_probe_at))).toBe(true);
    expect(lines).toHaveLength(counted.length + paused.length + probes.length);
    if (down) expect(down.connections).toBe(lines.length);
    expect(lines.length).toBeLessThanOrEqual(THRESHOLD + PER_PARTNER + probes.length);
    // One warn line per state change, none per delivery beyond the threshold.
    const warnings = partnerLog(node, partner).filter((e) => e.level === 'warn');
    expect(warnings.map((e) => e.message)).toEqual([...Array(THRESHOLD).fill('push attempt'), 'partner unreachable']);
    expect(warnings[THRESHOLD]).toMatchObject({ since: state.since, consecutive_failures: THRESHOLD, next_probe_at: expect.stringMatching(ISO_TIME) });

    // Back: the order the claim uses now is the order the locations must arrive in.
    const expectedOrder = pending.map((d) => d.objectKey);
    await down?.stop();
    const before = partner.emsp.pushes().length;
    await partner.emsp.restart();
    await settled(db, partner, 30_000);
    expect(await reachabilityOf(node, partner.id)).toEqual({ state: 'REACHABLE', consecutive_failures: 0 });
    const back = partnerLog(node, partner).filter((e) => e.message === 'partner reachable');
    expect(back).toEqual([expect.objectContaining({ level: 'info', unreachable_since: state.since, down_ms: expect.any(Number), resuming: count - 1 })]);
    expect(partnerLog(node, partner).filter((e) => e.message === 'partner probe' && e.outcome === 'answered')).toHaveLength(1);

    const received = partner.emsp.pushes().slice(before);
    expect(received.every((r) => r.method === 'PUT' && r.fault === undefined)).toBe(true);
    const arrived = received.map((r) => decodeURIComponent(r.path.split('/').pop()!));
    expect(new Set(arrived).size).toBe(count);
    const displacement = Math.max(...arrived.map((id, position) => Math.abs(position - expectedOrder.indexOf(id))));
    process.stdout.write(`[partner down: ${mode}] back: ${received.length} PUTs, largest displacement from the claim order ${displacement}\n`);
    expect(displacement).toBeLessThanOrEqual(2 * PER_PARTNER);
    expect(regressions(partner.emsp.requests, 'sent:')).toEqual([]);
    expect(regressions(partner.emsp.requests, 'held:')).toEqual([]);
    for (const id of ids) await expectPartnerHolds(node, partner.emsp, id);
  });
});
