import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { readMigrations } from '../../src/platform/migrator';
import { cleanEnv, makeTempDir, REPO_ROOT, removeTempDirs } from '../helpers/node-process';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite, externalDatabaseUrl, runDatabasePrefix } from '../helpers/test-database';
import { runCli } from './cli-harness';

/** Issue 13.6: the CLI as its own process (the `bin`), and `migrate` on fresh databases. */

jest.setTimeout(150_000);

const db = databasePerSuite();

afterAll(() => {
  removeTempDirs();
});

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `ocpi-cpo-node <args>` from the checkout (src/cli/main.ts through tsx, as `npm run cli` does). */
function cliProcess(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/cli/main.ts', ...args], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 140_000);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the CLI process against a running node', () => {
  let node: TestApp;
  beforeEach(async () => {
    node = await startTestApp(db);
  });
  afterEach(async () => {
    await node.close();
  });

  it('when the process creates a slot, then it exits 0 printing the slot, and the slot is listed', async () => {
    const env = { OCPI_NODE_URL: node.baseUrl, ADMIN_TOKEN: node.adminToken };
    const created = await cliProcess(['--json', 'partners', 'create'], env);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    const slot = JSON.parse(created.stdout);
    expect(slot).toMatchObject({ versions_url: node.versionsUrl, role: 'EMSP' });

    const listed = await runCli(['partners', 'list'], { env });
    expect({ code: listed.code, stderr: listed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(new RegExp(`^${slot.id}\\s+PENDING\\s+\\(EMSP\\)\\s+-\\s+0\\s+0\\s+REACHABLE$`, 'm'));
  });

  it('when the token is wrong, then the process exits 1 with the 401 message and never prints the token', async () => {
    const token = 'a-wrong-admin-token-0123456789';
    const listed = await cliProcess(['partners', 'list'], { OCPI_NODE_URL: node.baseUrl, ADMIN_TOKEN: token });
    expect(listed).toEqual({ code: 1, stdout: '', stderr: 'error: OCPI 2000: Missing or unknown credentials token (HTTP 401)\n' });
  });
});

describe('migrate', () => {
  const all = readMigrations().map((m) => m.name);

  // Its own process: the embedded database (PGlite) cannot start inside jest's module sandbox.
  it('when run on a fresh embedded database (DATA_DIR), then it applies every migration', async () => {
    const first = await cliProcess(['migrate'], { DATA_DIR: makeTempDir('ocpi-cli-migrate-') });
    expect(first).toEqual({ code: 0, stdout: `applied ${all.length} migrations:\n${all.map((name) => `  ${name}\n`).join('')}`, stderr: '' });
  });

  const onPostgres = externalDatabaseUrl() ? it : it.skip;
  onPostgres('when DATABASE_URL names a fresh PostgreSQL database, then --json prints every migration applied, and a second run has none left', async () => {
    const base = externalDatabaseUrl() as string;
    const name = `${runDatabasePrefix()}cli_migrate_${process.env.JEST_WORKER_ID ?? '1'}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(base);
      url.pathname = `/${name}`;
      const migrated = await runCli(['migrate', '--json'], { env: { DATABASE_URL: url.toString() } });
      expect({ code: migrated.code, stderr: migrated.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(migrated.stdout)).toEqual(all);
      const fresh = new Client({ connectionString: url.toString() });
      await fresh.connect();
      const recorded = await fresh.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name');
      await fresh.end();
      expect(recorded.rows.map((r) => r.migration_name)).toEqual(all);
      const again = await runCli(['migrate'], { env: { DATABASE_URL: url.toString() } });
      expect(again).toMatchObject({ code: 0, stdout: 'no pending migrations\n', stderr: '' });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    }
  });

  it("when the node's configuration is invalid, then migrate exits 2 naming the variable (the client commands do not care)", async () => {
    const out = await runCli(['migrate'], { env: { DATABASE_URL: 'mysql://db/ocpi' } });
    expect(out).toMatchObject({ code: 2, stderr: 'error: invalid configuration: DATABASE_URL=(invalid, value hidden)\n' });
  });
});
