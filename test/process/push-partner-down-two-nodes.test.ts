import { DownPartner } from '../helpers/down-partner';
import { FakeEmsp } from '../helpers/fake-emsp';
import { locationBody } from '../helpers/location-factory';
import { cleanEnv, freshDatabaseEnv, startNode, type LogLine, type NodeProcess } from '../helpers/node-process';
import { AdminClient, partnerCopyDifferences, pushEnv, regressions, registerEmsp, scenarioOnce, waitForEmptyQueue, waitUntil } from '../helpers/push-process';
import { externalDatabaseUrl, runDatabasePrefix } from '../helpers/test-database';

/**
 * Issue 8 item 6 with two node processes on one PostgreSQL: a partner taken down with a hundred
 * deliveries pending is probed once per probe time between them (the probe claim is exclusive across
 * processes), not once per process; both pause its deliveries, and it converges once back. The
 * embedded database opens in one process only, so without TEST_DATABASE_URL a test saying so runs.
 */

jest.setTimeout(120_000);

const ADMIN_TOKEN = 'push-partner-down-admin-token-0123456789';
const THRESHOLD = 3;
const PUSH_ENV = pushEnv({ PUSH_BACKOFF_BASE_MS: '200', PUSH_BACKOFF_MAX_MS: '800', PUSH_UNREACHABLE_AFTER: String(THRESHOLD) });
const IDS = Array.from({ length: 100 }, (_, i) => `P${String(i).padStart(3, '0')}`);

interface Probe {
  node: number;
  at: number;
  nextProbeAt: number;
  outcome: string;
}

interface Outcome {
  connections: number;
  failedAttemptLines: number;
  countedAttempts: number;
  probes: Probe[];
  stateChanges: string[];
  reachableAfter: string[];
  differences: string[];
  regressions: string[];
}

const probesOf = (node: NodeProcess, index: number): Probe[] =>
  node
    .logs()
    .filter((l) => l.message === 'partner probe')
    .map((l: LogLine) => ({ node: index, at: Date.parse(l.timestamp as string), nextProbeAt: Date.parse((l.next_probe_at as string) ?? ''), outcome: l.outcome as string }));

async function scenario(): Promise<Outcome> {
  const database = await freshDatabaseEnv(`${runDatabasePrefix()}push_partner_down`);
  const env = cleanEnv({ ...database.env, ADMIN_TOKEN, ...PUSH_ENV, LOG_LEVEL: 'debug' });
  const emsp = await new FakeEmsp().start();
  let down: DownPartner | undefined;
  try {
    const nodes = [await startNode(env)];
    nodes.push(await startNode(env));
    const admins = [new AdminClient(nodes[0]!.baseUrl, ADMIN_TOKEN)];
    admins.push(admins[0]!.on(nodes[1]!.baseUrl));
    const partnerId = await registerEmsp(admins[0]!, emsp);
    await emsp.stop();
    down = await DownPartner.listen(Number(new URL(emsp.baseUrl).port), 'reset');

    for (let i = 0; i < IDS.length; i += 4) await Promise.all(IDS.slice(i, i + 4).map((id, j) => admins[j % 2]!.put(`/admin/locations/${id}`, locationBody(id))));
    const reachability = async () => (await admins[1]!.get(`/admin/partners/${partnerId}`)).body.data.reachability;
    await waitUntil('UNREACHABLE with backoff capped', async () => (await reachability()).failed_probes >= 4, 20_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // The partner counts a connection when it is made, a node logs its attempt once the failure is handled:
    // an attempt under way at the snapshot is counted by the attempt's start (log time minus duration).
    const snapshotAt = Date.now();
    const connections = down.connections;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const startedBy = (l: LogLine, at: number) => Date.parse(l.timestamp as string) - Number(l.duration_ms ?? 0) <= at;
    const logs = nodes.flatMap((n) => n.logs());
    const failedAttempts = logs.filter((l) => l.message === 'push attempt' && l.outcome === 'failed' && startedBy(l, snapshotAt));
    const probes = nodes.flatMap(probesOf).sort((a, b) => a.at - b.at);
    await down.stop();
    down = undefined;
    await emsp.restart();
    await waitForEmptyQueue(admins[0]!, partnerId, 30_000);
    await waitUntil('no push in flight', () => emsp.inFlightPushes === 0, 5_000);
    const all = nodes.flatMap((n) => n.logs()).sort((a, b) => Date.parse(a.timestamp as string) - Date.parse(b.timestamp as string));
    return {
      connections,
      failedAttemptLines: failedAttempts.length,
      countedAttempts: failedAttempts.filter((l) => l.level === 'warn').length,
      probes,
      stateChanges: all.filter((l) => l.message === 'partner unreachable' || l.message === 'partner reachable').map((l) => l.message!),
      reachableAfter: await Promise.all(admins.map(async (a) => (await a.get(`/admin/partners/${partnerId}`)).body.data.reachability.state)),
      differences: await partnerCopyDifferences(admins[0]!, emsp, IDS),
      regressions: [...regressions(emsp.requests, 'sent:'), ...regressions(emsp.requests, 'held:')],
    };
  } finally {
    await down?.stop();
    await emsp.stop();
  }
}

if (externalDatabaseUrl()) {
  describe('two node processes on one PostgreSQL, a partner taken down with a hundred deliveries pending', () => {
    const result = scenarioOnce(scenario);

    it('then every connection the partner was offered is an attempt one of the nodes logged: the threshold, what was in flight, and the probes', () => {
      const { connections, failedAttemptLines, countedAttempts, probes } = result();
      process.stdout.write(`[two nodes, partner down] ${connections} connections for ${IDS.length} pending, ${probes.length} probes (${probes.filter((p) => p.node === 0).length} by the first node)\n`);
      expect(connections).toBe(failedAttemptLines);
      expect(countedAttempts).toBe(THRESHOLD);
      expect(connections).toBeLessThanOrEqual(2 * 16 + THRESHOLD + probes.length);
    });

    it('then no probe came before the time the one before it had set (one probe per probe time between the two)', () => {
      const { probes } = result();
      const failed = probes.filter((p) => p.outcome === 'unreachable');
      expect(failed.length).toBeGreaterThanOrEqual(4);
      const early = failed.slice(1).filter((probe, i) => probe.at < failed[i]!.nextProbeAt - 20);
      expect(early).toEqual([]);
    });

    it('then it was declared unreachable once and reachable once, and both nodes show it REACHABLE', () => {
      const { stateChanges, reachableAfter } = result();
      expect(stateChanges).toEqual(['partner unreachable', 'partner reachable']);
      expect(reachableAfter).toEqual(['REACHABLE', 'REACHABLE']);
    });

    it('then once back its copy of every location equals the node and nothing went backwards', () => {
      const { differences, regressions: backwards } = result();
      expect(differences).toEqual([]);
      expect(backwards).toEqual([]);
    });
  });
} else {
  describe('two node processes on one database, a partner down', () => {
    it('is not run on the embedded database, which one process only can open: set TEST_DATABASE_URL to run it', () => {
      expect(externalDatabaseUrl()).toBeUndefined();
    });
  });
}
