import { readMigrations } from '../../src/platform/migrator';
import { call, cleanEnv, killAllNodes, makeTempDir, parseLog, removeTempDirs, runScript, startNode } from '../helpers/node-process';

jest.setTimeout(90_000);

afterEach(async () => {
  await killAllNodes();
});
afterAll(() => {
  removeTempDirs();
});

describe('npm run migrate (src/migrate.ts) on an embedded database', () => {
  it('when run on a fresh DATA_DIR, then it applies every migration and exits 0, and the node started afterwards has nothing to apply and is ready', async () => {
    const env = cleanEnv({ DATA_DIR: makeTempDir(), ADMIN_TOKEN: 'migrate-test-admin-token-0123' });

    const migrate = await runScript('src/migrate.ts', env);
    expect({ code: migrate.code, signal: migrate.signal, stderr: migrate.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    const logs = migrate.stdout.split('\n').filter(Boolean).map(parseLog);
    const all = readMigrations().map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(logs.find((log) => log?.message === 'migrations applied')).toMatchObject({ migrations: all, count: all.length });

    const node = await startNode(env);
    expect(node.logs().map((log) => log.message)).not.toContain('migrations applied');
    const ready = await call(node.baseUrl, 'GET', '/ready');
    expect([ready.status, ready.body?.status_code, ready.body?.data]).toEqual([200, 1000, { status: 'ready' }]);
    expect(await node.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
