import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import {
  eventually,
  ISO_TIME,
  logEntries,
  registerPartner,
  registerWithPartner,
  settled,
  startPushNode,
  tokenHeader,
  type Partner,
  type PushNode,
} from './push-harness';

/** Issue 4.6: one log line per delivery attempt, and never a token in any log line. */

const db = databasePerSuite();
let node: PushNode;
const partners: Partner[] = [];

beforeEach(async () => {
  node = await startPushNode(db);
});
afterEach(async () => {
  for (const p of partners.splice(0)) await p.emsp.stop();
  await node.close();
});

const attemptsFor = (partnerId: string) => logEntries(node).filter((e) => e.message === 'push attempt' && e.partner === partnerId);

describe('push attempts in the log', () => {
  it('when a delivery fails twice and then succeeds, then there are three "push attempt" lines with partner, object, method, outcome and duration', async () => {
    const partner = await registerPartner(node);
    partners.push(partner);
    partner.emsp.failPushes('http-500', 2);
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
    await settled(db, partner);

    const lines = attemptsFor(partner.id);
    expect(lines).toHaveLength(partner.emsp.pushes().length);
    expect(lines.map((l) => [l.level, l.outcome])).toEqual([
      ['warn', 'failed'],
      ['warn', 'failed'],
      ['info', 'delivered'],
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({ partner: partner.id, module: 'locations', object: 'location LOC1', method: 'PUT' });
      expect(typeof line.duration_ms).toBe('number');
      expect(line.duration_ms).toBeGreaterThanOrEqual(0);
    }
    expect(lines[0]!.error).toMatch(/HTTP 500/);
    expect(lines[2]!.error).toBeUndefined();
  });

  it('when one delivery needs several requests, then each request has its own line naming the object it is about', async () => {
    const partner = await registerPartner(node);
    partners.push(partner);
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
    await settled(db, partner);
    const before = attemptsFor(partner.id).length;
    const e1 = { ...locationBody('LOC1').evses[0]!, status: 'CHARGING' };
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1', { name: 'New name', evses: [e1, locationBody('LOC1').evses[1]] })), 200, 1000);
    await settled(db, partner);
    expect(attemptsFor(partner.id).slice(before).map((l) => [l.method, l.object, l.outcome])).toEqual([
      ['PATCH', 'location LOC1', 'delivered'],
      ['PATCH', 'location LOC1 EVSE LOC1-E1', 'delivered'],
    ]);
  });

  it('when the partner hangs, then the attempt is logged as failed with a duration of at least the timeout', async () => {
    await node.close();
    node = await startPushNode(db, { PARTNER_TIMEOUT_MS: '300' });
    const partner = await registerPartner(node);
    partners.push(partner);
    partner.emsp.failPushes('hang', 1);
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
    await settled(db, partner);
    const [first, second] = attemptsFor(partner.id);
    expect(first).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/within 300 ms/) });
    expect(first!.duration_ms).toBeGreaterThanOrEqual(290);
    expect(second).toMatchObject({ outcome: 'delivered' });
  });
});

describe('a partner that goes down and comes back, in the log', () => {
  it('when it is down for several probes with deliveries pending, then one line per state change, one per probe, and no warning per paused delivery', async () => {
    const partner = await registerPartner(node);
    partners.push(partner);
    await partner.emsp.stop();
    const ids = Array.from({ length: 20 }, (_, i) => `DOWN${i}`);
    for (const id of ids) expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
    const about = (message: string) => logEntries(node).filter((e) => e.partner === partner.id && e.message === message);
    await eventually(() => expect(about('partner probe').length).toBeGreaterThanOrEqual(3));
    await partner.emsp.restart();
    await settled(db, partner);

    const [down, ...moreDowns] = about('partner unreachable');
    expect(moreDowns).toEqual([]);
    expect(down).toEqual({
      level: 'warn',
      message: 'partner unreachable',
      partner: partner.id,
      since: expect.stringMatching(ISO_TIME),
      next_probe_at: expect.stringMatching(ISO_TIME),
      consecutive_failures: 3,
      error: expect.stringMatching(/cannot reach .*ECONNREFUSED/),
      timestamp: expect.any(String),
    });
    const probes = about('partner probe');
    expect(probes.map((p) => [p.level, p.outcome])).toEqual([...probes.slice(1).map(() => ['info', 'unreachable']), ['info', 'answered']]);
    for (const probe of probes.slice(0, -1)) expect(probe).toMatchObject({ next_probe_at: expect.stringMatching(ISO_TIME), failed_probes: expect.any(Number), error: expect.any(String) });
    expect(about('partner reachable')).toEqual([
      expect.objectContaining({ level: 'info', unreachable_since: down!.since, down_ms: expect.any(Number), failed_probes: probes.length - 1, resuming: ids.length - 1 }),
    ]);
    const warnings = logEntries(node).filter((e) => e.partner === partner.id && e.level === 'warn');
    expect(warnings.map((e) => e.message)).toEqual(['push attempt', 'push attempt', 'push attempt', 'partner unreachable']);
    const secrets = [partner.tokenA, partner.tokenForUs, partner.tokenForThem];
    expect(node.logLines.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
  });
});

describe('no token in any log line', () => {
  it('when partners register both ways, receive pushes, fail, are resynced and unregistered, then no log line contains a token', async () => {
    const incoming = await registerPartner(node);
    const outgoing = await registerWithPartner(node, { countryCode: 'BE', partyId: 'OUT' });
    partners.push(incoming, outgoing);
    incoming.emsp.failPushes('http-400', 1);
    outgoing.emsp.failPushes('http-500', 1);
    expectOcpi(await node.admin.put('/admin/locations/LOC1', locationBody('LOC1')), 201, 1000);
    await eventually(async () => expect(await db.prisma.delivery.count({ where: { status: 'PENDING' } })).toBe(0));
    expectOcpi(await node.admin.post(`/admin/partners/${incoming.id}/resync`, { module: 'locations' }), 202, 1000);
    await settled(db, incoming);
    expectOcpi(await node.admin.patch('/admin/locations/LOC1/evses/LOC1-E1', { status: 'CHARGING' }), 200, 1000);
    await settled(db, incoming);
    await settled(db, outgoing);
    expectOcpi(await node.admin.delete(`/admin/partners/${outgoing.id}`), 200, 1000);
    expect(attemptsFor(incoming.id).length).toBeGreaterThanOrEqual(3);
    expect(attemptsFor(outgoing.id).length).toBeGreaterThanOrEqual(2);

    const secrets = [node.adminToken, ...[incoming, outgoing].flatMap((p) => [p.tokenA, p.tokenForUs, p.tokenForThem])];
    expect(new Set(secrets).size).toBe(secrets.length);
    const forms = secrets.flatMap((s) => [s, tokenHeader(s).slice('Token '.length)]);
    const leaks = node.logLines.filter((line) => forms.some((f) => line.includes(f)));
    expect(leaks).toEqual([]);
    expect(node.logLines.filter((line) => /"authorization"|Token [A-Za-z0-9+/=]{8,}|Bearer /i.test(line))).toEqual([]);
  });
});
