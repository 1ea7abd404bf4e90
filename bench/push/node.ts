/**
 * What the push benchmarks share about the node under test: its environment, starting it (tsx, no build) on a
 * bench database, registering the fake eMSPs through the real credentials handshake, and how to describe the
 * version and push settings it ran with. Used by bench/push/run.ts and bench/sessions/run.ts.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { envelopeData, request } from './http';
import type { Target } from './load';
import { freePort, REPO_ROOT, startServer, type RpcChild } from './processes';

export const ADMIN_TOKEN = 'bench-push-admin-token-0123456789';

/** The variables of this script's environment passed on to the node: push settings, partner timeout, pool size. */
export const PASSED_ON = /^(PUSH_|PARTNER_TIMEOUT_MS$|DB_POOL_SIZE$)/;

/** The commit the node ran from, and whether src/ had uncommitted changes. */
export function sourceVersion(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  return git('status', '--porcelain', 'src', 'prisma') ? `${head} with uncommitted changes in src/ or prisma/` : head;
}

/** The node's own defaults, read from its config schema, so the report cannot go stale. */
export function pushDefaults(): string {
  const config = loadConfig({});
  const { concurrency, perPartnerConcurrency, pollIntervalMs } = config.push;
  return `PUSH_CONCURRENCY ${concurrency}, PUSH_PER_PARTNER_CONCURRENCY ${perPartnerConcurrency}, PUSH_POLL_INTERVAL_MS ${pollIntervalMs}, PARTNER_TIMEOUT_MS ${config.partnerTimeoutMs}`;
}

export const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'production' });

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The node on database `db` (`node --require tsx/cjs src/main.ts`), LOG_LEVEL=warn, PASSED_ON variables passed on. */
export async function startNode(db: string): Promise<Target & { stop(): Promise<void>; pid: number }> {
  const port = await freePort();
  const passed = Object.fromEntries(Object.entries(process.env).filter(([key]) => PASSED_ON.test(key))) as Record<string, string>;
  const server = await startServer('node', 'src/main.ts', {
    ...baseEnv(),
    DATABASE_URL: db,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_TOKEN,
    LOG_LEVEL: 'warn',
    ...passed,
    // Diagnosis, e.g. BENCH_NODE_OPTIONS="--require ./bench/cpu-profile.cjs" (a CPU profile in the OS temp directory when the node stops).
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  }, port);
  return { label: 'node', baseUrl: server.baseUrl, headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, stop: () => server.stop(), pid: server.pid };
}

/** A registration slot for each of the runner's first `count` eMSPs, and its eMSP-initiated handshake with the token A. */
export async function registerPartners(node: Target, runner: RpcChild, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const slot = envelopeData(await request('POST', `${node.baseUrl}/admin/partners`, node.headers), 'POST /admin/partners') as { id: string; token_a: string; versions_url: string };
    await runner.call('register', { index, versionsUrl: slot.versions_url, tokenA: slot.token_a });
    ids.push(slot.id);
  }
  return ids;
}
