import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type Agent } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { externalDatabaseUrl } from './test-database';

/** The repository root: children run from here, like `npm start` does. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LogLine {
  message?: string;
  level?: string;
  [key: string]: unknown;
}

export interface NodeProcess {
  pid: number;
  port: number;
  baseUrl: string;
  /** Every non-empty stdout line so far (JSON log lines and the one plain-text admin token line). */
  stdoutLines: string[];
  readonly stderr: string;
  /** stdout lines that parse as JSON log lines. */
  logs(): LogLine[];
  /** Resolves with the first stdout line (past or future) matching; rejects on timeout or exit. */
  waitFor(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  waitForLog(message: string, timeoutMs?: number): Promise<LogLine>;
  /** Sends the signal and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
  exited: Promise<Exit>;
}

const running = new Set<ChildProcess>();
const tempDirs: string[] = [];

export function parseLog(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}

/** A port that was free a moment ago (the node logs its configured port, so PORT=0 would hide the real one). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function makeTempDir(prefix = 'ocpi-process-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A clean environment: nothing leaks in from the test runner's own (no DATABASE_URL, no ADMIN_TOKEN). */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'info' };
  return { ...env, ...extra };
}

function spawnScript(script: string, env: Record<string, string>): ChildProcess {
  // Never let a test fall back to the default ./data of the repository (a developer's database).
  if (!env.DATA_DIR && !env.DATABASE_URL) throw new Error('give the child a DATA_DIR or a DATABASE_URL');
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', script], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Runs a script to its end (e.g. `src/migrate.ts`), SIGKILLed after `timeoutMs`. */
export async function runScript(script: string, env: Record<string, string>, timeoutMs = 60_000): Promise<Exit & { stdout: string; stderr: string }> {
  const child = spawnScript(script, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await exitOf(child);
  clearTimeout(timer);
  return { ...exit, stdout, stderr };
}

/** Starts `src/main.ts` with `env` (PORT, HOST and PUBLIC_URL added) and waits for its `listening` line. */
export async function startNode(env: Record<string, string>, startTimeoutMs = 45_000): Promise<NodeProcess> {
  const node = await spawnNode(env);
  try {
    await node.waitForLog('listening', startTimeoutMs);
  } catch (error) {
    await node.stop('SIGKILL');
    throw error;
  }
  return node;
}

/** Starts `src/main.ts` without waiting for anything. */
export async function spawnNode(env: Record<string, string>): Promise<NodeProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawnScript('src/main.ts', { HOST: '127.0.0.1', PUBLIC_URL: baseUrl, ...env, PORT: String(port) });
  const stdoutLines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let stderr = '';
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString('utf8')).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts.map((p) => p.trim()).filter(Boolean)) {
      stdoutLines.push(line);
      listeners.forEach((listener) => listener(line));
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = exitOf(child);

  const waitFor = (predicate: (line: string) => boolean, timeoutMs = 15_000): Promise<string> => {
    const seen = stdoutLines.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        listeners.delete(listener);
      };
      const listener = (line: string) => {
        if (!predicate(line)) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching stdout line within ${timeoutMs} ms; stdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`));
      }, timeoutMs);
      listeners.add(listener);
      void exited.then((exit) => {
        done();
        reject(new Error(`node exited (${JSON.stringify(exit)}) before the line came; stdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`));
      });
    });
  };
  const waitForLog = async (message: string, timeoutMs?: number) =>
    parseLog(await waitFor((line) => parseLog(line)?.message === message, timeoutMs)) as LogLine;

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<Exit> => {
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };

  const node: NodeProcess = {
    pid: child.pid as number,
    port,
    baseUrl,
    stdoutLines,
    get stderr() {
      return stderr;
    },
    logs: () => stdoutLines.map(parseLog).filter((line): line is LogLine => line !== undefined),
    waitFor,
    waitForLog,
    stop,
    exited,
  };
  return node;
}

/** For afterEach/afterAll: SIGKILLs every child still running and removes the temp directories. */
export async function killAllNodes(): Promise<void> {
  const children = [...running];
  children.forEach((child) => child.kill('SIGKILL'));
  await Promise.all(children.map(exitOf));
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body (the OCPI envelope), undefined when it is not JSON. */
  body: any;
}

export interface HttpOptions {
  headers?: Record<string, string>;
  body?: unknown;
  /** Defaults to a fresh connection per request (`Connection: close`). */
  agent?: Agent;
  timeoutMs?: number;
}

/** A plain HTTP call with a bounded wait; rejects on connection errors (e.g. ECONNREFUSED). */
export function call(baseUrl: string, method: string, urlPath: string, options: HttpOptions = {}): Promise<HttpResult> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (payload !== undefined) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(urlPath, baseUrl), { method, headers, agent: options.agent ?? false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error(`${method} ${urlPath}: no answer in time`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Where a node under test keeps its data: with TEST_DATABASE_URL (or DATABASE_URL) a dedicated database
 * on that server, dropped and recreated here; otherwise a fresh embedded database in a temp DATA_DIR.
 */
export async function freshDatabaseEnv(name: string): Promise<{ env: Record<string, string>; external: boolean }> {
  const external = externalDatabaseUrl();
  if (!external) return { env: { DATA_DIR: makeTempDir() }, external: false };
  const admin = new Client({ connectionString: external });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(external);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString(), DATA_DIR: makeTempDir() }, external: true };
}
