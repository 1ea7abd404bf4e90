/**
 * Where the node's CPU goes on single-location GETs: starts the built node (dist/) on the database the last
 * `npm run bench:locations` left behind, loads it with single GETs (autocannon, as in the benchmark's phase b)
 * and prints the node's and PostgreSQL's CPU per request. With --cpu-prof <dir>, the node writes a V8 CPU
 * profile there when it stops (open it in Chrome DevTools, or summarize it with --top).
 *
 *   npx tsx bench/locations/profile-single.ts [--db <url>] [--duration 10] [--connections 50] [--rounds 2]
 *                                             [--cpu-prof <dir>] [--top 40] [--log-level warn] [--node-args a,b]
 *
 * Adds a partner with a token for the run and removes it afterwards. Run `npm run build` first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { singleGets } from './measure';
import { addBenchPartner } from './seed';
import { cpuMsOf, freePort, killChildren, startChild } from './processes';

/** User and system CPU of a process so far, ms. */
function userSysMs(pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[11]) * 10, Number(fields[12]) * 10];
}

const REPO_ROOT = path.resolve(__dirname, '../..');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const db = option('db', process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ocpi_bench');
const duration = Number(option('duration', '10'));
const connections = Number(option('connections', '50'));
const rounds = Number(option('rounds', '2'));
const cpuProf = process.argv.includes('--cpu-prof') ? path.resolve(option('cpu-prof', 'cpu-prof')) : undefined;
const top = Number(option('top', '40'));
const logLevel = option('log-level', 'warn');
/** Extra arguments to node, comma-separated (e.g. --perf-basic-prof, to read the run with `perf record -p`). */
const nodeArgs = option('node-args', '').split(',').filter(Boolean);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time per function and per package (node_modules/<name>, or our file), from the newest profile in `dir`. */
function summarize(dir: string): void {
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1);
  if (!file) return;
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const counts = new Map<number, number>();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = counts.get(node.id) ?? 0;
    if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
    busy += hits;
    const { url, functionName, lineNumber } = node.callFrame;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/dist/') ? url.slice(url.indexOf('/dist/') + 1) : url || functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
    const key = `${functionName || '(anonymous)'} ${pkg}:${lineNumber}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const print = (title: string, map: Map<string, number>) => {
    process.stdout.write(`\n${title} (% of busy samples, ${busy} busy)\n`);
    for (const [key, hits] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${((100 * hits) / busy).toFixed(1).padStart(5)}  ${key}\n`);
    }
  };
  print('Self time by package / file', byPackage);
  print('Self time by function', byFunction);
}

async function main(): Promise<void> {
  const monitor = new Client({ connectionString: db });
  await monitor.connect();
  const partner = await addBenchPartner(monitor, 'profile');
  const n = partner.locations;
  try {
    const port = await freePort();
    const node = await startChild({
      name: 'node',
      args: [...nodeArgs, ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : []), 'dist/src/main.js'],
      cwd: REPO_ROOT,
      port,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', DATABASE_URL: db, HOST: '127.0.0.1', PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: 'bench-admin-token-0123456789', LOG_LEVEL: logLevel, MAX_PAGE_SIZE: '100',
        DB_POOL_SIZE: '10', OPEN_DATA_RATE_LIMIT: '1000000',
      },
    });
    const target = { label: 'ours' as const, baseUrl: node.baseUrl, headers: { Authorization: partner.authorization } };
    await singleGets(target, n, connections, 3);
    process.stdout.write(`node pid ${node.pid}: measuring\n`);
    for (let round = 0; round < rounds; round++) {
      const backends = async () => (await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows;
      const before = new Map((await backends()).map((r) => [r.pid, cpuMsOf(r.pid)]));
      const [userBefore, sysBefore] = userSysMs(node.pid);
      const result = await singleGets(target, n, connections, duration);
      const [userAfter, sysAfter] = userSysMs(node.pid);
      const nodeMs = userAfter - userBefore + sysAfter - sysBefore;
      let dbMs = 0;
      for (const { pid } of await backends()) dbMs += cpuMsOf(pid) - (before.get(pid) ?? 0);
      process.stdout.write(
        `${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms; CPU per request: node ${(nodeMs / result.total).toFixed(3)} ms (user ${((userAfter - userBefore) / result.total).toFixed(3)}, system ${((sysAfter - sysBefore) / result.total).toFixed(3)}), PostgreSQL ${(dbMs / result.total).toFixed(3)} ms\n`,
      );
    }
    await node.stop();
    if (cpuProf) summarize(cpuProf);
  } finally {
    killChildren();
    await partner.remove();
    await monitor.end();
  }
}

main().catch((error: Error) => {
  killChildren();
  process.stderr.write(`profile-single failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
