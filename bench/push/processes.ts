import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { request } from './http';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Every child of this benchmark, so that every exit path kills them. */
const children = new Set<ChildProcess>();

export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Server {
  pid: number;
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

function track(child: ChildProcess): { exited: Promise<void>; isExited: () => boolean; output: () => string } {
  children.add(child);
  let tail = '';
  let exited = false;
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const done = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      children.delete(child);
      resolve();
    }),
  );
  return { exited: done, isExited: () => exited, output: () => tail };
}

/** `node --require tsx/cjs <script>` (TypeScript run as is), ready when GET /health answers 200. */
export async function startServer(name: string, script: string, env: Record<string, string>, port: number, timeoutMs = 60_000): Promise<Server> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', script], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const { exited, isExited, output } = track(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (isExited()) throw new Error(`${name} exited during start-up:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer /health within ${timeoutMs} ms:\n${output()}`);
    }
    const up = await request('GET', `${baseUrl}/health`, {}, undefined, 1000).then((r) => r.status === 200, () => false);
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    pid: child.pid!,
    baseUrl,
    output,
    async stop() {
      if (isExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A child speaking the small request/answer protocol of emsp-runner.ts over the IPC channel. */
export interface RpcChild {
  pid: number;
  call<T>(method: string, params?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export function forkRpc(script: string, env: Record<string, string>): RpcChild {
  const child = fork(script, [], { cwd: REPO_ROOT, env, execArgv: ['--require', 'tsx/cjs'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const { exited, isExited, output } = track(child);
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.error !== undefined) entry?.reject(new Error(message.error));
    else entry?.resolve(message.result);
  });
  void exited.then(() => {
    for (const entry of waiting.values()) entry.reject(new Error(`${script} exited:\n${output()}`));
    waiting.clear();
  });
  return {
    pid: child.pid!,
    call<T>(method: string, params?: unknown): Promise<T> {
      if (isExited()) return Promise.reject(new Error(`${script} is not running:\n${output()}`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, method, params });
      });
    },
    async stop() {
      if (isExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
