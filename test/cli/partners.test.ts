import { FakeEmsp } from '../helpers/fake-emsp';
import { locationBody } from '../helpers/location-factory';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { databasePerSuite } from '../helpers/test-database';
import { adminApi, at, expectPartnerHolds, registerPartner, settled, startPushNode, type Partner, type PushNode } from '../api/push/push-harness';
import { startTestApp } from '../helpers/test-app';
import { cliFor, tableRows } from './cli-harness';

/** Issue 13.6: `ocpi-cpo-node partners ...` against a running node's admin API. */

const db = databasePerSuite();
let node: PushNode | undefined;
const emsps: FakeEmsp[] = [];

afterEach(async () => {
  for (const emsp of emsps.splice(0)) await emsp.stop();
  await node?.close();
  node = undefined;
});

async function pushNode(): Promise<PushNode> {
  node = await startPushNode(db);
  return node;
}

async function partnerOf(n: PushNode): Promise<Partner> {
  const partner = await registerPartner(n);
  emsps.push(partner.emsp);
  return partner;
}

async function withLocations(n: PushNode, partner: Partner, ids: string[]): Promise<void> {
  for (const id of ids) expectOcpi(await n.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
  await settled(db, partner);
}

describe('partners create', () => {
  it('when a slot is created, then it is listed as pending and the printed token A registers an eMSP', async () => {
    const n = await pushNode();
    const cli = cliFor(n);
    const created = await cli(['partners', 'create', '--role', 'NSP']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const fields = Object.fromEntries(tableRows(created.stdout).slice(1).map(([k, v]) => [k, v]));
    expect(fields).toMatchObject({ role: 'NSP', versions_url: n.versionsUrl });
    const listed = await n.admin.get('/admin/partners');
    expectOcpi(listed, 200, 1000);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: fields.id, status: 'PENDING', role: 'NSP' })]);

    const emsp = await new FakeEmsp({ role: 'NSP' }).start();
    emsps.push(emsp);
    const answer = await emsp.registerWithNode(fields.versions_url!, fields.token_a!);
    expect([answer.status, answer.body.status_code]).toEqual([200, 1000]);
  });

  it('when --json is given, then stdout is the raw data of the answer', async () => {
    const n = await pushNode();
    const created = await cliFor(n)(['--json', 'partners', 'create']);
    expect(created.code).toBe(0);
    const data = JSON.parse(created.stdout);
    expect(Object.keys(data).sort()).toEqual(['id', 'role', 'token_a', 'versions_url']);
    expect(data.role).toBe('EMSP');
  });

  it('when the role is not one a partner can hold, then a usage error and no slot', async () => {
    const n = await pushNode();
    const created = await cliFor(n)(['partners', 'create', '--role', 'CPO']);
    expect(created.code).toBe(2);
    expect(created.stderr).toContain("argument 'CPO' is invalid");
    expect((await n.admin.get('/admin/partners')).body.data).toEqual([]);
  });
});

describe('partners list and show', () => {
  it('when partners exist, then the table shows each with its status, roles, version and delivery state', async () => {
    // Push off: what is queued stays pending, so the counts are known.
    const quiet = await startTestApp(db);
    node = Object.assign(quiet, { admin: adminApi(quiet) });
    const partner = await partnerOf(node);
    const slot = await node.admin.post('/admin/partners', { role: 'HUB' });
    for (const id of ['LOC1', 'LOC2']) expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);

    const listed = await cliFor(node)(['partners', 'list']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    const rows = tableRows(listed.stdout);
    expect(rows[0]).toEqual(['ID', 'STATUS', 'ROLES', 'VERSION', 'PENDING', 'FAILED', 'REACHABILITY']);
    expect(rows.slice(1)).toEqual(
      expect.arrayContaining([
        [partner.id, 'REGISTERED', 'DE/MSP EMSP', '2.2.1', '2', '0', 'REACHABLE'],
        [slot.body.data.id, 'PENDING', '(HUB)', '-', '0', '0', 'REACHABLE'],
      ]),
    );
    expect(rows).toHaveLength(3);
  });

  it('when --json is given, then it prints every partner with its deliveries, parseable', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    const listed = await cliFor(n)(['partners', 'list', '--json']);
    expect(listed.code).toBe(0);
    const data = JSON.parse(listed.stdout);
    expect(data).toEqual([expect.objectContaining({ id: partner.id, status: 'REGISTERED', reachability: expect.objectContaining({ state: 'REACHABLE' }), deliveries: expect.objectContaining({ pending: 0, failed: 0 }) })]);
  });

  it('when one partner is shown, then its fields and endpoints are printed', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    const shown = await cliFor(n)(['partners', 'show', partner.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id\\s+${partner.id}$`, 'm'));
    expect(shown.stdout).toMatch(/^status\s+REGISTERED$/m);
    expect(shown.stdout).toMatch(new RegExp(`^\\s+locations\\s+RECEIVER ${partner.emsp.baseUrl}`, 'm'));
  });

  it('when the partner is unknown, then exit 1 with the OCPI status and message', async () => {
    const n = await pushNode();
    const shown = await cliFor(n)(['partners', 'show', '00000000-0000-4000-8000-000000000000']);
    expect(shown).toMatchObject({ code: 1, stdout: '' });
    expect(shown.stderr).toBe('error: OCPI 2000: Unknown partner 00000000-0000-4000-8000-000000000000 (HTTP 404)\n');
  });
});

describe('partners resync', () => {
  it('when a resync is requested, then progress lines follow the deliveries until none is pending, and the partner got every location again', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    await withLocations(n, partner, ['LOC1', 'LOC2', 'LOC3']);
    const mark = partner.emsp.pushes().length;

    const resynced = await cliFor(n)(['partners', 'resync', partner.id, '--module', 'locations']);
    expect(resynced.code).toBe(0);
    expect(resynced.stdout).toBe(`queued 3 locations for partner ${partner.id}\n`);
    const lines = resynced.stderr.trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^resync locations: \d\/3 done, \d pending, 0 failed, REACHABLE$/);
    expect(lines.at(-1)).toBe('resync locations: 3/3 done, 0 pending, 0 failed, REACHABLE');
    const puts = partner.emsp.pushes().slice(mark).map((r) => `${r.method} ${r.path}`);
    expect(puts.sort()).toEqual(['LOC1', 'LOC2', 'LOC3'].map((id) => `PUT ${at(id)}`));
    for (const id of ['LOC1', 'LOC2', 'LOC3']) await expectPartnerHolds(n, partner.emsp, id);
  });

  it('when the partner refuses a delivery for good, then the resync ends with exit 1 naming the failure', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    await withLocations(n, partner, ['LOC1', 'LOC2']);
    partner.emsp.failPushes('http-400', 1);
    const resynced = await cliFor(n)(['partners', 'resync', partner.id]);
    expect(resynced.code).toBe(1);
    expect(resynced.stderr).toContain('resync locations: 2/2 done, 0 pending, 1 failed, REACHABLE\n');
    expect(resynced.stderr).toContain(`error: resync locations: 1 deliveries failed (GET /admin/partners/${partner.id}/deliveries?status=failed)\n`);
  });

  it('when --no-wait and --json are given, then it prints the answer and returns without progress', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    await withLocations(n, partner, ['LOC1']);
    const resynced = await cliFor(n)(['--json', 'partners', 'resync', partner.id, '--no-wait']);
    expect(resynced).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(resynced.stdout)).toEqual({ module: 'locations', queued: 1 });
    await settled(db, partner);
  });

  it('when the module does not push, then exit 1 with the OCPI status and message of the node', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    const resynced = await cliFor(n)(['partners', 'resync', partner.id, '--module', 'commands']);
    expect(resynced.code).toBe(1);
    expect(resynced.stderr).toBe('error: OCPI 2001: Invalid body: /module must be one of locations, tariffs, sessions (HTTP 400)\n');
  });
});

describe('partners rotate and delete', () => {
  it('when credentials are rotated, then the eMSP receives a new token that works and the old one does not', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    const rotated = await cliFor(n)(['partners', 'rotate', partner.id]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(new RegExp(`^credentials rotated with partner ${partner.id} \\(REGISTERED, updated `));
    const newToken = partner.emsp.nodeCredentials!.token;
    expect(newToken).not.toBe(partner.tokenForThem);
    expect((await partner.emsp.callNode('GET', `${n.baseUrl}/ocpi/2.2.1/credentials`, undefined, newToken)).status).toBe(200);
    expect((await partner.emsp.callNode('GET', `${n.baseUrl}/ocpi/2.2.1/credentials`, undefined, partner.tokenForThem)).status).toBe(401);
  });

  it('when a partner is deleted, then it is unregistered and told so', async () => {
    const n = await pushNode();
    const partner = await partnerOf(n);
    const deleted = await cliFor(n)(['partners', 'delete', partner.id]);
    expect(deleted).toMatchObject({ code: 0, stdout: `partner ${partner.id} is UNREGISTERED\n` });
    expect(partner.emsp.requestsTo('/ocpi/2.2.1/credentials', 'DELETE')).toHaveLength(1);
  });
});
