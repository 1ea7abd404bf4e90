import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { get } from './http';

/** Every child this benchmark started, so they are killed on any exit path. */
const children = new Set<ChildProcess>();

export interface Child {
  name: string;
  pid: number;
  port: number;
  baseUrl: string;
  /** The last few KB of the child's stderr and stdout, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface StartOptions {
  name: string;
  /** Arguments to `node`. */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  port: number;
  startTimeoutMs?: number;
}

/** Starts `node <args>` and waits until GET /health answers 200. */
export async function startChild(options: StartOptions): Promise<Child> {
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      children.delete(child);
      resolve();
    });
  });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`${options.name} exited during start-up:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not answer /health within ${options.startTimeoutMs ?? 60_000} ms:\n${tail}`);
    }
    const ok = await get(`${baseUrl}/health`, {}, 1000).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    name: options.name,
    pid: child.pid!,
    port: options.port,
    baseUrl,
    output: () => tail,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Kills what is still running (synchronous: usable from an `exit` handler). */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

export interface Memory {
  /** Peak resident set size (VmHWM), MB. */
  peakMb: number;
  /** Current resident set size (VmRSS), MB. */
  currentMb: number;
  /** Of the current RSS: anonymous memory (heaps, WebAssembly memory, JIT code) and file-backed pages, MB. */
  anonMb: number;
  fileMb: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { peakMb: kb('VmHWM') / 1024, currentMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024 };
}

/** Runs a command to completion with a time limit; throws with its output when it fails. */
export function runCommand(command: string, args: string[], cwd: string, timeoutMs: number): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: process.env });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** CPU time (user + system) a process has used so far, ms; 0 when it is gone. */
export function cpuMsOf(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (clock ticks of 10 ms).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
