import { FakeEmsp } from '../helpers/fake-emsp';
import { locationBody } from '../helpers/location-factory';
import { cleanEnv, killAllNodes, makeTempDir, removeTempDirs, startNode } from '../helpers/node-process';
import { AdminClient, registerEmsp } from '../helpers/push-process';

/**
 * The embedded database under the push worker's concurrency, always embedded (a temp DATA_DIR, whatever
 * TEST_DATABASE_URL says), with the node's default DB_POOL_SIZE (10). A regression test.
 *
 * pglite-socket 0.2.17 queues each protocol MESSAGE of each connection (Parse, Bind, Execute, Sync...) and
 * keeps one connection's messages together only inside a transaction. Outside one, two connections'
 * extended-protocol sequences interleave on the single PGlite backend, which has one unnamed statement
 * and portal: "bind message supplies 3 parameters, but prepared statement requires 4", "portal does not
 * exist", or one query run with another's parameters (a valid admin token found unknown: 401). Seen here
 * with a pool of 10: 4 concurrent admin PUTs failed 40-60% (401 and 500), one client 3 of 60 while the
 * worker pushed. src/platform/database.ts now gives the embedded database one connection whatever
 * DB_POOL_SIZE says; this keeps it that way.
 */

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'push-embedded-admin-token-0123456789';

afterAll(async () => {
  await killAllNodes();
  removeTempDirs();
});

describe('the embedded database while the push worker delivers', () => {
  it('when the operator PUTs 40 locations, four at a time, to an embedded node with the default pool and a registered eMSP, then every PUT answers 201 and no database protocol error is logged', async () => {
    const emsp = await new FakeEmsp().start();
    try {
      const node = await startNode(cleanEnv({ DATA_DIR: makeTempDir(), ADMIN_TOKEN, PUSH_POLL_INTERVAL_MS: '50' }));
      const admin = new AdminClient(node.baseUrl, ADMIN_TOKEN);
      await registerEmsp(admin, emsp);

      const statuses: string[] = [];
      let next = 0;
      await Promise.all(
        [0, 1, 2, 3].map(async () => {
          while (next < 40) {
            const id = `EMB${next++}`;
            const res = await admin.request('PUT', `/admin/locations/${id}`, locationBody(id));
            statuses.push(res.status === 201 ? '201' : `${res.status} ${res.body?.status_message ?? res.text.slice(0, 100)}`);
          }
        }),
      );
      const protocolErrors = node
        .logs()
        .filter((log) => log.level === 'error')
        .map((log) => String(log.error ?? log.message).split('\n').filter(Boolean).pop());

      expect(statuses.filter((s) => s !== '201')).toEqual([]);
      expect(protocolErrors).toEqual([]);
    } finally {
      await emsp.stop();
    }
  });
});
