import type { Response } from 'supertest';
import { Connector, Evse, Location } from '../../../src/modules/locations/locations.schema';
import { connectorBody, evseBody, locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { adminApi, registeredPartner, senderApi, versionOf } from './location-api';

/** Issue 3, Safe PATCH (ARCHITECTURE §1.3): ETags, If-None-Match, If-Match, stale last_updated, concurrent writers. */

const db = databasePerSuite();
let node: TestApp;
let admin: ReturnType<typeof adminApi>;

beforeEach(async () => {
  node = await startTestApp(db);
  admin = adminApi(node);
  expectOcpi(await admin.put('/L1', locationBody('L1')), 201, 1000);
});
afterEach(async () => {
  await node.close();
});

const LEVELS = [
  ['a location', '/L1', { name: 'Changed' }],
  ['an EVSE', '/L1/evses/L1-E1', { status: 'CHARGING' }],
  ['a connector', '/L1/evses/L1-E1/connectors/1', { max_amperage: 16 }],
] as const;

/** Everything a client can observe of the tree, to prove a refused write changed nothing. */
async function observed() {
  const location = await admin.get('/L1');
  const evse = await admin.get('/L1/evses/L1-E1');
  const connector = await admin.get('/L1/evses/L1-E1/connectors/1');
  return [location, evse, connector].map((res: Response) => ({ status: res.status, etag: res.headers.etag, data: res.body.data }));
}

function expectNotModified(res: Response, etag: string | undefined): void {
  expect(etag).toMatch(/^"\d+"$/);
  expect(res.status).toBe(304);
  expect(res.text).toBe('');
  expect(res.headers.etag).toBe(etag);
}

describe('conditional GET', () => {
  it('when an admin or partner GET repeats the ETag it got in If-None-Match, then 304 at every level', async () => {
    const sender = senderApi(node, await registeredPartner(node));
    const paths = [['/L1', '/L1'], ['/L1/evses/L1-E1', '/L1/L1-E1'], ['/L1/evses/L1-E1/connectors/1', '/L1/L1-E1/1']] as const;
    for (const [adminPath, senderPath] of paths) {
      const first = await admin.get(adminPath);
      expectOcpi(first, 200, 1000);
      expect(first.headers.etag).toMatch(/^"\d+"$/);
      expectNotModified(await admin.get(adminPath, { 'If-None-Match': first.headers.etag }), first.headers.etag);

      const served = await sender.get(senderPath);
      expectOcpi(served, 200, 1000);
      expect(served.headers.etag).toBe(first.headers.etag);
      expectNotModified(await sender.get(senderPath, { 'If-None-Match': served.headers.etag }), served.headers.etag);
      expectNotModified(await sender.get(senderPath, { 'If-None-Match': `"999", W/${served.headers.etag}` }), served.headers.etag);
    }
  });

  it('when If-None-Match names an older version, then 200 with the current object and its new ETag', async () => {
    const old = await admin.get('/L1');
    expectOcpi(await admin.patch('/L1', { name: 'New' }, { 'If-Match': old.headers.etag }), 200, 1000);
    const res = await admin.get('/L1', { 'If-None-Match': old.headers.etag });
    expectOcpi(res, 200, 1000, Location);
    expect(res.body.data.name).toBe('New');
    expect(versionOf(res)).toBe(versionOf(old) + 1);
  });
});

describe('If-Match on admin writes', () => {
  it('when a PATCH of a location, an EVSE or a connector has no If-Match, then 428 with the envelope and nothing changes', async () => {
    const before = await observed();
    for (const [, path, patch] of LEVELS) expectOcpi(await admin.patch(path, patch), 428, 2000);
    expect(await observed()).toEqual(before);
  });

  it('when a PATCH of a location, an EVSE or a connector carries a stale If-Match, then 412 with the envelope and nothing changes', async () => {
    const before = await observed();
    const current = before.map((o) => o.etag as string);
    for (const [index, [, path, patch]] of LEVELS.entries()) {
      expectOcpi(await admin.patch(path, patch, { 'If-Match': `"${versionOf(current[index]!) - 1}"` }), 412, 2000);
      expectOcpi(await admin.patch(path, patch, { 'If-Match': 'not-an-etag' }), 412, 2000);
    }
    expect(await observed()).toEqual(before);

    for (const [, path, patch] of [...LEVELS].reverse()) {
      const fresh = await admin.get(path);
      const patched = await admin.patch(path, patch, { 'If-Match': fresh.headers.etag });
      expectOcpi(patched, 200, 1000);
      expect(versionOf(patched)).toBe(versionOf(fresh) + 1);
    }
  });

  it('when a PUT carries If-Match, then it replaces only while that ETag is current; otherwise 412 and nothing changes', async () => {
    const location = await admin.get('/L1');
    const evse = await admin.get('/L1/evses/L1-E1');
    const connector = await admin.get('/L1/evses/L1-E1/connectors/1');
    const wrong = (res: Response) => `"${versionOf(res) + 7}"`;
    const before = await observed();
    expectOcpi(await admin.put('/L1', locationBody('L1', { name: 'X' }), { 'If-Match': wrong(location) }), 412, 2000);
    expectOcpi(await admin.put('/L1/evses/L1-E1', evseBody('L1-E1', { status: 'BLOCKED' }), { 'If-Match': wrong(evse) }), 412, 2000);
    expectOcpi(await admin.put('/L1/evses/L1-E1/connectors/1', connectorBody('1', { max_amperage: 6 }), { 'If-Match': wrong(connector) }), 412, 2000);
    expectOcpi(await admin.put('/L9', locationBody('L9'), { 'If-Match': '"1"' }), 412, 2000);
    expect(await observed()).toEqual(before);
    expectOcpi(await admin.get('/L9'), 404, 2003);

    expectOcpi(await admin.put('/L1/evses/L1-E1/connectors/1', connectorBody('1', { max_amperage: 6 }), { 'If-Match': connector.headers.etag }), 200, 1000, Connector);
    const evseNow = await admin.get('/L1/evses/L1-E1');
    expectOcpi(await admin.put('/L1/evses/L1-E1', evseBody('L1-E1', { status: 'BLOCKED' }), { 'If-Match': evseNow.headers.etag }), 200, 1000, Evse);
    const locationNow = await admin.get('/L1');
    const put = await admin.put('/L1', locationBody('L1', { name: 'X' }), { 'If-Match': locationNow.headers.etag });
    expectOcpi(put, 200, 1000, Location);
    expect(put.body.data.name).toBe('X');
  });

  it('when a PUT carries If-None-Match: *, then it creates only: 201 for a new object, 412 for an existing one', async () => {
    expectOcpi(await admin.put('/L2', locationBody('L2'), { 'If-None-Match': '*' }), 201, 1000, Location);
    const before = await observed();
    expectOcpi(await admin.put('/L1', locationBody('L1', { name: 'X' }), { 'If-None-Match': '*' }), 412, 2000);
    expectOcpi(await admin.put('/L2', locationBody('L2', { name: 'X' }), { 'If-None-Match': '*' }), 412, 2000);
    expectOcpi(await admin.put('/L1/evses/L1-E1', evseBody('L1-E1', { status: 'BLOCKED' }), { 'If-None-Match': '*' }), 412, 2000);
    expectOcpi(await admin.put('/L1/evses/L1-E1/connectors/1', connectorBody('1', { max_amperage: 6 }), { 'If-None-Match': '*' }), 412, 2000);
    expect(await observed()).toEqual(before);
    expect((await admin.get('/L2')).body.data.name).toBe('Station L2');
  });
});

describe('stale last_updated', () => {
  it('when a PATCH of a location, an EVSE or a connector carries a last_updated older than the stored one, then 409 and nothing changes', async () => {
    const before = await observed();
    for (const [index, [, path, patch]] of LEVELS.entries()) {
      const older = new Date(Date.parse(before[index]!.data.last_updated) - 1).toISOString();
      expectOcpi(await admin.patch(path, { ...patch, last_updated: older }, { 'If-Match': before[index]!.etag }), 409, 2000);
    }
    expect(await observed()).toEqual(before);

    const connector = await admin.get('/L1/evses/L1-E1/connectors/1');
    const sameTime = { max_amperage: 16, last_updated: connector.body.data.last_updated };
    expectOcpi(await admin.patch('/L1/evses/L1-E1/connectors/1', sameTime, { 'If-Match': connector.headers.etag }), 200, 1000, Connector);
  });

  it('when a PUT carries a last_updated older than the stored one, then 409 at every level and nothing changes', async () => {
    const location = await admin.get('/L1');
    const older = new Date(Date.parse(location.body.data.last_updated) - 60_000).toISOString();
    const before = await observed();
    expectOcpi(await admin.put('/L1', { ...locationBody('L1', { name: 'X' }), last_updated: older }), 409, 2000);
    expectOcpi(await admin.put('/L1/evses/L1-E1', { ...evseBody('L1-E1', { status: 'BLOCKED' }), last_updated: older }), 409, 2000);
    expectOcpi(await admin.put('/L1/evses/L1-E1/connectors/1', { ...connectorBody('1', { max_amperage: 6 }), last_updated: older }), 409, 2000);
    expect(await observed()).toEqual(before);
  });
});

describe('concurrent writers', () => {
  it('when two PATCHes with the same If-Match race, then exactly one succeeds and the other gets 412 (every round)', async () => {
    for (let round = 0; round < 4; round++) {
      const target = round % 2 === 0 ? '/L1' : '/L1/evses/L1-E2';
      const current = await admin.get(target);
      const field = round % 2 === 0 ? 'name' : 'physical_reference';
      const bodies = [{ [field]: `A${round}` }, { [field]: `B${round}` }];
      const answers = await Promise.all(bodies.map((body) => admin.patch(target, body, { 'If-Match': current.headers.etag })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
      const winner = answers.find((a) => a.status === 200)!;
      expectOcpi(winner, 200, 1000);
      expectOcpi(answers.find((a) => a.status === 412)!, 412, 2000);
      const after = await admin.get(target);
      expect(versionOf(after)).toBe(versionOf(current) + 1);
      expect(after.body.data).toEqual(winner.body.data);
    }
  });

  it('when several different locations are PATCHed at the same moment, then every PATCH succeeds (no 401 or 500 under concurrency)', async () => {
    const idsOf = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6'];
    for (const id of idsOf.slice(1)) {
      expectOcpi(await admin.put(`/${id}`, locationBody(id, { evses: [evseBody(`${id}-E1`, { connectors: [connectorBody('1')] })] })), 201, 1000);
    }
    for (let round = 0; round < 2; round++) {
      const etags = await Promise.all(idsOf.map(async (id) => (await admin.get(`/${id}`)).headers.etag));
      const answers = await Promise.all(idsOf.map((id, i) => admin.patch(`/${id}`, { name: `round ${round}` }, { 'If-Match': etags[i] })));
      expect(answers.map((a) => [a.status, a.body.status_message])).toEqual(idsOf.map(() => [200, undefined]));
      answers.forEach((a, i) => {
        expectOcpi(a, 200, 1000, Location);
        expect(a.body.data.id).toBe(idsOf[i]);
      });
    }
  });

  it("when many PATCHes on different EVSEs of one location run at once, then all succeed and the location's version rises by exactly their number", async () => {
    const count = 12;
    const evses = Array.from({ length: count }, (_, i) => evseBody(`M-E${i}`, { connectors: [connectorBody('1')] }));
    expectOcpi(await admin.put('/M', locationBody('M', { evses })), 201, 1000);
    const before = await admin.get('/M');
    const etags = await Promise.all(evses.map(async (e) => (await admin.get(`/M/evses/${e.uid}`)).headers.etag as string));

    const answers = await Promise.all(evses.map((e, i) => admin.patch(`/M/evses/${e.uid}`, { status: 'CHARGING' }, { 'If-Match': etags[i]! })));
    expect(answers.map((a) => a.status)).toEqual(evses.map(() => 200));
    answers.forEach((a) => expectOcpi(a, 200, 1000, Evse));

    const after = await admin.get('/M');
    expectOcpi(after, 200, 1000, Location);
    expect(versionOf(after)).toBe(versionOf(before) + count);
    expect(after.body.data.evses.map((e: { status: string }) => e.status)).toEqual(evses.map(() => 'CHARGING'));
  });
});
