import { locationBody } from '../../helpers/location-factory';
import { expectOcpi } from '../../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { databasePerSuite } from '../../helpers/test-database';
import { adminApi } from './location-api';

/**
 * Issue 3.4 with two node processes on one database: each remembers the trees it wrote, and a tree
 * another process has changed since must never decide a write, a refusal or a no-op.
 */

const db = databasePerSuite();
let nodes: TestApp[] = [];

beforeEach(async () => {
  nodes = [await startTestApp(db), await startTestApp(db)];
});
afterEach(async () => {
  for (const node of nodes) await node.close();
});

it('when another process changed a location since this one wrote it, then this one still honours If-Match against the stored version and keeps the other change', async () => {
  const [a, b] = nodes.map(adminApi) as [ReturnType<typeof adminApi>, ReturnType<typeof adminApi>];
  expectOcpi(await a.put('/L1', locationBody('L1')), 201, 1000); // A remembers the tree it wrote
  const v1 = (await a.get('/L1')).headers.etag as string;

  const byB = await b.patch('/L1/evses/L1-E1', { status: 'CHARGING' }, { 'If-Match': (await b.get('/L1/evses/L1-E1')).headers.etag as string });
  expectOcpi(byB, 200, 1000);
  const v2 = (await b.get('/L1')).headers.etag as string;
  expect(v2).not.toBe(v1);

  // The version A last wrote is stale now: 412, though A's own memory says it is current.
  expectOcpi(await a.patch('/L1', { name: 'From A' }, { 'If-Match': v1 }), 412, 2000);
  // The current version is accepted, though A's memory says it is not.
  const fromA = await a.patch('/L1', { name: 'From A' }, { 'If-Match': v2 });
  expectOcpi(fromA, 200, 1000);

  // B changes it again; A writes again (If-Match: *) and must not write over B's change from its memory.
  expectOcpi(await b.patch('/L1/evses/L1-E1', { status: 'BLOCKED' }, { 'If-Match': '*' }), 200, 1000);
  expectOcpi(await a.patch('/L1', { name: 'Again from A' }, { 'If-Match': '*' }), 200, 1000);

  for (const reader of [a, b]) {
    const location = await reader.get('/L1');
    expect(location.body.data.name).toBe('Again from A');
    expect(location.body.data.evses[0].status).toBe('BLOCKED');
  }
  // A repeats B's status: a no-op judged against A's memory would skip it; against the store it is one too.
  const same = await a.patch('/L1/evses/L1-E1', { status: 'BLOCKED' }, { 'If-Match': '*' });
  expectOcpi(same, 200, 1000);
  expect(same.headers.etag).toBe((await b.get('/L1/evses/L1-E1')).headers.etag);
});

it('when another process changed an EVSE back to what this process last wrote, then this process still writes its own change', async () => {
  const [a, b] = nodes.map(adminApi) as [ReturnType<typeof adminApi>, ReturnType<typeof adminApi>];
  expectOcpi(await a.put('/L1', locationBody('L1')), 201, 1000);
  const before = (await a.get('/L1/evses/L1-E1')).body.data.status as string;
  expectOcpi(await b.patch('/L1/evses/L1-E1', { status: 'OUTOFORDER' }, { 'If-Match': '*' }), 200, 1000);

  // From A's memory the EVSE still has `before`, so PATCHing `before` looks like a no-op; the store says otherwise.
  const back = await a.patch('/L1/evses/L1-E1', { status: before }, { 'If-Match': '*' });
  expectOcpi(back, 200, 1000);
  expect((await b.get('/L1/evses/L1-E1')).body.data.status).toBe(before);
});

it('when another process created a location, then a PUT from this one is decided on the stored tree: create-only refused, identical a no-op, different a replacement', async () => {
  const [a, b] = nodes.map(adminApi) as [ReturnType<typeof adminApi>, ReturnType<typeof adminApi>];
  expectOcpi(await a.put('/L1', locationBody('L1')), 201, 1000);
  const created = (await a.get('/L1')).headers.etag as string;

  expectOcpi(await b.put('/L1', locationBody('L1'), { 'If-None-Match': '*' }), 412, 2000);
  const same = await b.put('/L1', locationBody('L1'));
  expectOcpi(same, 200, 1000);
  expect(same.headers.etag).toBe(created);

  const renamed = await b.put('/L1', locationBody('L1', { name: 'Renamed by B' }));
  expectOcpi(renamed, 200, 1000);
  expect(renamed.headers.etag).not.toBe(created);
  expect((await a.get('/L1')).body.data.name).toBe('Renamed by B');
  expect((await db.prisma.evse.findMany()).map((e) => e.uid).sort()).toEqual(['L1-E1', 'L1-E2']);
});

it('when two processes create the same location at once, then one creates it and the other replaces it, and the tree is stored once', async () => {
  const [a, b] = nodes.map(adminApi) as [ReturnType<typeof adminApi>, ReturnType<typeof adminApi>];
  const answers = await Promise.all([a.put('/L1', locationBody('L1', { name: 'A' })), b.put('/L1', locationBody('L1', { name: 'B' }))]);
  expect(answers.map((r) => r.status).sort()).toEqual([200, 201]);
  expect(await db.prisma.location.count()).toBe(1);
  expect(await db.prisma.evse.count()).toBe(2);
  expect(await db.prisma.connector.count()).toBe(4);
  const last = answers.find((r) => r.status === 200)!;
  expect((await a.get('/L1')).body.data.name).toBe(last.body.data.name);
});

it('when a new location names an EVSE uid another location holds, then 409 and nothing of it is stored', async () => {
  const [a, b] = nodes.map(adminApi) as [ReturnType<typeof adminApi>, ReturnType<typeof adminApi>];
  expectOcpi(await a.put('/L1', locationBody('L1')), 201, 1000);
  const clash = await b.put('/L2', locationBody('L2', { evses: [locationBody('L1').evses[0]] }));
  expectOcpi(clash, 409, 2000);
  expect(await db.prisma.location.count()).toBe(1);
  expect(await db.prisma.delivery.count()).toBe(0);
});
