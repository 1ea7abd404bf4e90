import { Cdr } from '../../../src/modules/cdrs/cdrs.schema';
import { cdrBody, fullCdrBody } from '../../helpers/cdr-factory';
import { tokenHeader } from '../../helpers/fake-emsp';
import { problemsWith } from '../../../src/ocpi/validate';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { databasePerSuite } from '../../helpers/test-database';
import {
  deliveriesOf, deliverySummary, eventually, logEntries, pendingCount, quietFor, registerPartner, settled, startPushNode,
  type Partner, type PushNode,
} from './push-harness';

/**
 * Issue 10 item 5: each CDR is POSTed to its owner's cdrs RECEIVER (the bare URL) until the owner
 * acknowledges it, exactly once successfully; the Location it answers is kept and shown; failures retry
 * for PUSH_CDR_MAX_AGE_MS, give up visibly, and can be retried by the operator; an acknowledged CDR is
 * never POSTed again, whatever happens to the partner's registration.
 */

jest.setTimeout(30_000);

const db = databasePerSuite();
let node: PushNode;
const partners: Partner[] = [];

afterEach(async () => {
  for (const partner of partners.splice(0)) await partner.emsp.stop();
  await node?.close();
});

async function emsp(partyId: string, options: { cdrsReceiver?: boolean } = {}): Promise<Partner> {
  const partner = await registerPartner(node, { countryCode: 'DE', partyId, cdrsReceiver: options.cdrsReceiver ?? true });
  partners.push(partner);
  return partner;
}

const CDRS = '/ocpi/2.2.1/cdrs';
const owner = (partyId: string) => ({ countryCode: 'DE', partyId });
const heldBy = (partner: Partner, id: string) => partner.emsp.cdrs.get(`NL/CPO/${id.toUpperCase()}`);

async function postCdr(body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await node.admin.post('/admin/cdrs', body);
  expectOcpi(res, 201, 1000, Cdr);
  return res.body.data;
}

async function delivered(partner: Partner): Promise<Record<string, any>[]> {
  const res = await node.admin.get(`/admin/partners/${partner.id}/deliveries?status=delivered`);
  expectOcpi(res, 200, 1000);
  return res.body.data;
}

describe('CDRs are POSTed to their owner, once', () => {
  beforeEach(async () => {
    node = await startPushNode(db);
  });

  it('when CDRs of two eMSPs are stored, then each owner receives exactly its own, POSTed once to the bare receiver URL, and the Location it answered is shown', async () => {
    const a = await emsp('AAA');
    const b = await emsp('BBB');
    const pullOnly = await emsp('CCC', { cdrsReceiver: false });
    const cdrA = await postCdr({ ...fullCdrBody('CDR-A'), country_code: undefined, party_id: undefined });
    const cdrB = await postCdr(cdrBody('CDR-B', owner('bbb')));
    await postCdr(cdrBody('CDR-C', owner('CCC')));
    await settled(db, a);
    await settled(db, b);

    for (const [partner, cdr] of [[a, cdrA], [b, cdrB]] as const) {
      const posts = partner.emsp.cdrPosts();
      expect(posts.map((r) => r.path)).toEqual([CDRS]);
      expect(posts[0]!.body).toEqual(cdr);
      expect(problemsWith(Cdr, posts[0]!.body)).toEqual([]);
      expect(posts[0]!.headers['ocpi-to-party-id']).toBe(partner.emsp.partyId);
      expect(posts[0]!.headers['ocpi-from-party-id']).toBe('CPO');
      expect(posts[0]!.headers.authorization).toBe(tokenHeader(partner.tokenForUs));
      const held = heldBy(partner, cdr.id)!;
      expect(held.cdr).toEqual(cdr);
      expect(await delivered(partner)).toEqual([{ module: 'cdrs', object: cdr.id.toUpperCase(), status: 'DELIVERED', location: held.location, delivered_at: expect.any(String) }]);
      expect(await deliverySummary(node, partner.id)).toMatchObject({ pending: 0, failed: 0, delivered_cdrs: 1 });
      const view = await node.admin.get(`/admin/cdrs/${cdr.id}/delivery`);
      expectOcpi(view, 200, 1000);
      expect(view.body.data).toEqual({ cdr: cdr.id, deliveries: [{ partner: partner.id, status: 'DELIVERED', location: held.location, delivered_at: expect.any(String) }] });
    }
    const owed = await node.admin.get('/admin/cdrs/cdr-c/delivery');
    expectOcpi(owed, 200, 1000);
    expect(owed.body.data).toEqual({ cdr: 'CDR-C', deliveries: [] });
    expectOcpi(await node.admin.get('/admin/cdrs/NOPE/delivery'), 404, 2000);
    expect(pullOnly.emsp.cdrPosts()).toEqual([]);
    expect(await pendingCount(db, pullOnly.id)).toBe(0);
    expect(await delivered(pullOnly)).toEqual([]);
  });

  it('when the owner answers errors for a while, then the CDR is retried until it is acknowledged, and it holds it once', async () => {
    const a = await emsp('AAA');
    a.emsp.failPushes('http-500', 3);
    const cdr = await postCdr(cdrBody('CDR-1'));
    await eventually(async () => expect(await delivered(a)).toHaveLength(1));
    expect(a.emsp.cdrPosts()).toHaveLength(4);
    expect(a.emsp.cdrs.size).toBe(1);
    expect(heldBy(a, 'CDR-1')!.cdr).toEqual(cdr);
    expect((await delivered(a))[0]!.location).toBe(heldBy(a, 'CDR-1')!.location);
  });

  it('when the owner refuses a CDR, then it is given up loudly and stays visible as failed, and the operator can retry it', async () => {
    const a = await emsp('AAA');
    a.emsp.failPushes('ocpi-2001', 1);
    await postCdr(cdrBody('CDR-1'));
    const [failed] = await eventually(async () => {
      const rows = await deliveriesOf(node, a.id, 'failed');
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(failed!).toMatchObject({ module: 'cdrs', object: 'CDR-1', status: 'FAILED', attempts: 1, last_error: expect.stringContaining('2001') });
    expect(await deliverySummary(node, a.id)).toMatchObject({ failed: 1, delivered_cdrs: 0 });
    const view = await node.admin.get('/admin/cdrs/CDR-1/delivery');
    expect(view.body.data.deliveries).toEqual([expect.objectContaining({ partner: a.id, status: 'FAILED', attempts: 1, next_attempt_at: null })]);
    const gaveUp = logEntries(node).filter((entry) => entry.message === 'push gave up' && entry.module === 'cdrs');
    expect(gaveUp).toEqual([expect.objectContaining({ level: 'error', object: 'CDR-1' })]);
    expect(a.emsp.cdrs.size).toBe(0);

    const retry = await node.admin.post(`/admin/partners/${a.id}/deliveries/retry`, { module: 'cdrs', object: 'CDR-1' });
    expectOcpi(retry, 200, 1000);
    expect(retry.body.data).toEqual({ queued: 1 });
    await eventually(async () => expect(await delivered(a)).toHaveLength(1));
    expect(await deliveriesOf(node, a.id, 'failed')).toEqual([]);
    expect(a.emsp.cdrPosts()).toHaveLength(2);
    expect(a.emsp.cdrs.size).toBe(1);
  });

  it('when a retry names nothing that failed, or a bad body, then nothing is queued', async () => {
    const a = await emsp('AAA');
    await postCdr(cdrBody('CDR-1'));
    await settled(db, a);
    const none = await node.admin.post(`/admin/partners/${a.id}/deliveries/retry`, {});
    expectOcpi(none, 200, 1000);
    expect(none.body.data).toEqual({ queued: 0 });
    const bad = await node.admin.post(`/admin/partners/${a.id}/deliveries/retry`, { module: 'cdrs', id: 'CDR-1' });
    expectOcpi(bad, 400, 2001);
    const unknown = await node.admin.post('/admin/partners/00000000-0000-4000-8000-000000000000/deliveries/retry', {});
    expectOcpi(unknown, 404, 2000);
    await quietFor(200);
    expect(a.emsp.cdrPosts()).toHaveLength(1);
  });

  it('when the owner registers only after its CDR was stored, then it receives it then', async () => {
    await postCdr(cdrBody('CDR-1'));
    const a = await emsp('AAA');
    await eventually(async () => expect(await delivered(a)).toHaveLength(1));
    expect(a.emsp.cdrPosts()).toHaveLength(1);
  });

  it('when the owner acknowledged a CDR, then neither a credentials update, a node restart nor a new registration of the same party POSTs it again', async () => {
    const a = await emsp('AAA');
    await postCdr(cdrBody('CDR-1'));
    await settled(db, a);
    const location = heldBy(a, 'CDR-1')!.location;

    expectOcpi(await node.admin.post(`/admin/partners/${a.id}/rotate`), 200, 1000);
    await node.close();
    node = await startPushNode(db);
    const unregistered = await node.admin.delete(`/admin/partners/${a.id}`);
    expectOcpi(unregistered, 200, 1000);
    expect(await delivered(a)).toEqual([expect.objectContaining({ object: 'CDR-1', location })]);

    await postCdr(cdrBody('CDR-2'));
    const again = await registerPartner(node, { countryCode: 'DE', partyId: 'AAA', cdrsReceiver: true });
    partners.push(again);
    await eventually(async () => expect(await delivered(again)).toHaveLength(1));
    await quietFor(300);
    expect(a.emsp.cdrPosts().map((r) => (r.body as { id: string }).id)).toEqual(['CDR-1']);
    expect(again.emsp.cdrPosts().map((r) => (r.body as { id: string }).id)).toEqual(['CDR-2']);
    expect(await delivered(again)).toEqual([expect.objectContaining({ object: 'CDR-2' })]);
  });

  it('when the owner acknowledges without a Location header, then the CDR counts as delivered (with none stored) and is not POSTed again', async () => {
    const a = await emsp('AAA');
    a.emsp.cdrsWithoutLocation = true;
    await postCdr(cdrBody('CDR-1'));
    await eventually(async () => expect(await delivered(a)).toEqual([expect.objectContaining({ object: 'CDR-1', location: null })]));
    expect(logEntries(node).some((entry) => entry.message === 'cdr accepted without a Location header' && entry.cdr === 'CDR-1')).toBe(true);
    await quietFor(300);
    expect(a.emsp.cdrPosts()).toHaveLength(1);
  });

  it('when a delivery view asks for delivered objects of another module, then it answers 400', async () => {
    const a = await emsp('AAA');
    const res = await node.admin.get(`/admin/partners/${a.id}/deliveries?status=delivered&module=locations`);
    expectOcpi(res, 400, 2001);
  });
});
