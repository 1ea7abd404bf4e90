/**
 * What the benchmarks under bench/locations and bench/tariffs share: the node as `npm start` runs it, the
 * baseline server (bench/locations/baseline-server.ts, transpiled to plain JavaScript), the build, and the
 * life cycle of a run (a watchdog, and every child killed on every exit path).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { Client } from 'pg';
import { killChildren as killRpcChildren } from '../push/processes';
import { get } from './http';
import { parseEnvelope, type Target } from './measure';
import type { Options } from './options';
import { freePort, killChildren, runCommand, startChild, type Child } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** `npm run build`, or a check that dist/ is there when the run was asked not to build. */
export function build(options: Options): void {
  if (options.build) {
    log('npm run build');
    runCommand('npm', ['run', 'build', '--silent'], REPO_ROOT, 300_000);
  } else if (!existsSync(path.join(REPO_ROOT, 'dist/src/main.js'))) {
    throw new Error('dist/src/main.js is missing: run without --no-build');
  }
}

/** The baseline runs as plain JavaScript (no tsx loader in its process, so its RSS is its own). */
export function transpileBaseline(): { file: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ocpi-bench-baseline-'));
  for (const name of ['baseline-server', 'baseline-sql']) {
    const source = readFileSync(path.join(__dirname, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    writeFileSync(path.join(dir, `${name}.js`), outputText);
  }
  return { file: path.join(dir, 'baseline-server.js'), dir };
}

const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? tmpdir(),
  NODE_ENV: 'production',
});

/** The node as `npm start` runs it, on `database` (a URL, or the embedded database in a data directory). */
export async function startOurs(options: Options, database: { DATABASE_URL: string } | { DATA_DIR: string }): Promise<Child> {
  const port = await freePort();
  const args = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [];
  return startChild({
    name: 'node',
    args: [...args, 'dist/src/main.js'],
    cwd: REPO_ROOT,
    port,
    env: {
      ...baseEnv(),
      ...database,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ADMIN_TOKEN,
      LOG_LEVEL: options.logLevel,
      MAX_PAGE_SIZE: String(options.pageSize),
      DB_POOL_SIZE: '10',
      OPEN_DATA_RATE_LIMIT: '1000000',
    },
  });
}

/** The database the baseline imports into: the benchmark's name with "_baseline" appended. */
export const baselineDb = (options: Options): string => {
  const url = new URL(options.db);
  url.pathname = `${url.pathname}_baseline`;
  return url.toString();
};

/** The baseline, serving the node's tables (`options.db`) and importing into `baselineDb(options)`. */
export async function startBaseline(options: Options, file: string): Promise<Child> {
  const port = await freePort();
  return startChild({
    name: 'baseline',
    args: [file],
    cwd: REPO_ROOT,
    port,
    env: {
      ...baseEnv(),
      NODE_PATH: path.join(REPO_ROOT, 'node_modules'),
      DATABASE_URL: options.db,
      IMPORT_DATABASE_URL: baselineDb(options),
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MAX_PAGE_SIZE: String(options.pageSize),
      DB_POOL_SIZE: '10',
    },
  });
}

/** GET `pathAndQuery` from `target`: the envelope's data, the headers and the body's size in bytes. */
export async function fetchData(target: Target, pathAndQuery: string): Promise<{ data: unknown; headers: Record<string, unknown>; bytes: number }> {
  const reply = await get(`${target.baseUrl}${pathAndQuery}`, target.headers);
  if (reply.status !== 200) throw new Error(`${target.label}: GET ${pathAndQuery} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
  return { data: parseEnvelope(reply.body, `${target.label} ${pathAndQuery}`).data, headers: reply.headers, bytes: Buffer.byteLength(reply.body) };
}

export function postgresVersion(db: string): Promise<string> {
  const client = new Client({ connectionString: db });
  return client
    .connect()
    .then(() => client.query<{ v: string }>("SELECT current_setting('server_version') AS v"))
    .then((r) => r.rows[0]!.v)
    .finally(() => client.end());
}

/** The machine a run measured on, for the report. */
export function machine(pgVersion: string, loadAtStart: number): string {
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, PostgreSQL ${pgVersion} on 127.0.0.1; ` +
    `load generator, eMSP, both servers and PostgreSQL share the machine; 1-minute load average before the run ${loadAtStart.toFixed(2)}`;
}

function stopEverything(): void {
  killChildren();
  killRpcChildren();
}

/** Kills everything and exits after `seconds`. */
export function startWatchdog(seconds: number): void {
  const watchdog = setTimeout(() => {
    log(`timed out after ${seconds} s: killing the servers`);
    stopEverything();
    process.exit(2);
  }, seconds * 1000);
  watchdog.unref();
}

/** Runs a benchmark's `main`, killing every child on exit, on SIGINT/SIGTERM and on failure. */
export function runBench(name: string, main: () => Promise<void>): void {
  process.on('exit', stopEverything);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopEverything();
      process.exit(130);
    });
  }
  main().then(
    () => process.exit(0),
    (error: Error) => {
      process.stderr.write(`${name} failed: ${error.stack ?? error.message}\n`);
      stopEverything();
      process.exit(1);
    },
  );
}
