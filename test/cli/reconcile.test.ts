import { locationBody } from '../helpers/location-factory';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { databasePerSuite } from '../helpers/test-database';
import { at, expectPartnerHolds, RECEIVER, registerPartner, settled, shape, startPushNode, type Partner, type PushNode } from '../api/push/push-harness';
import { cliFor } from './cli-harness';

/** Issue 13.6: `ocpi-cpo-node partners reconcile` against a node and an eMSP offering the receiver list extension. */

const IDS = ['LOC1', 'LOC2', 'LOC3'];
const db = databasePerSuite();
let node: PushNode;
let partner: Partner;

beforeEach(async () => {
  node = await startPushNode(db);
  partner = await registerPartner(node);
  partner.emsp.locationsList = 'on';
  for (const id of IDS) expectOcpi(await node.admin.put(`/admin/locations/${id}`, locationBody(id)), 201, 1000);
  await settled(db, partner);
});
afterEach(async () => {
  await partner.emsp.stop();
  await node.close();
});

/** LOC2 renamed at the eMSP, LOC3 lost there. */
function driftTheCopy(): void {
  const loc2 = partner.emsp.locations.get('NL/CPO/LOC2')!;
  partner.emsp.holdLocation({ ...loc2, name: 'renamed in the eMSP database' });
  partner.emsp.locations.delete('NL/CPO/LOC3');
}

const cli = () => cliFor(node);

describe('partners reconcile', () => {
  it('when the copy drifted, then the counts are printed, progress follows the repair, and the partner holds our locations again', async () => {
    driftTheCopy();
    const mark = partner.emsp.pushes().length;
    const out = await cli()(['partners', 'reconcile', partner.id]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`missing 1 (LOC3), different 1 (LOC2), extra 0: queued 2 for partner ${partner.id}\n`);
    expect(out.stderr.trim().split('\n').at(-1)).toBe('reconcile locations: 2/2 done, 0 pending, 0 failed, REACHABLE');
    const puts = partner.emsp.pushes().slice(mark).filter((r) => r.method === 'PUT').map((r) => r.path);
    expect(puts.sort()).toEqual([at('LOC2'), at('LOC3')]);
    for (const id of IDS) await expectPartnerHolds(node, partner.emsp, id);
  });

  it('when --purge --yes --json is given, then the partner gets the DELETE, the raw report is printed, and everything is sent again', async () => {
    driftTheCopy();
    const mark = partner.emsp.pushes().length;
    const out = await cli()(['--json', 'partners', 'reconcile', partner.id, '--purge', '--yes']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ missing: 3, different: 0, extra: 0, queued: 3 });
    const received = partner.emsp.pushes().slice(mark).map(shape);
    expect(received[0]).toEqual({ method: 'DELETE', path: `${RECEIVER}/NL/CPO`, body: undefined });
    expect(received.slice(1).map((r) => `${r.method} ${r.path}`).sort()).toEqual(IDS.map((id) => `PUT ${at(id)}`));
    for (const id of IDS) await expectPartnerHolds(node, partner.emsp, id);
  });

  it('when --purge is confirmed by typing PURGE at the terminal, then the purge happens', async () => {
    const mark = partner.emsp.pushes().length;
    const out = await cli()(['partners', 'reconcile', partner.id, '--purge', '--no-wait'], { answers: ['PURGE'] });
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.questions).toHaveLength(1);
    expect(partner.emsp.pushes().slice(mark)[0]).toMatchObject({ method: 'DELETE', path: `${RECEIVER}/NL/CPO` });
    await settled(db, partner);
  });

  it('when the partner does not offer the list extension, then exit 1 with the node\'s 422 and nothing is sent', async () => {
    partner.emsp.locationsList = 'http-404';
    const mark = partner.emsp.pushes().length;
    const out = await cli()(['partners', 'reconcile', partner.id]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^error: OCPI 2000: .*does not offer the locations receiver list extension.* \(HTTP 422\)\n$/);
    expect(partner.emsp.pushes().slice(mark).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
