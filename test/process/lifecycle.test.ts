import { Agent, createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { FakeEmsp } from '../helpers/fake-emsp';
import { bearer, call, cleanEnv, freshDatabaseEnv, killAllNodes, makeTempDir, removeTempDirs, spawnNode, startNode, type NodeProcess } from '../helpers/node-process';
import { runDatabasePrefix } from '../helpers/test-database';

jest.setTimeout(90_000);

const ADMIN_TOKEN = 'process-test-admin-token-0123456789';
/**
 * With TEST_DATABASE_URL: a database of this run's own on that server (`ocpi_test_<run>_process`, dropped by
 * global-teardown); otherwise embedded in a temp DATA_DIR.
 */
let env: Record<string, string>;
let external = false;

beforeAll(async () => {
  const database = await freshDatabaseEnv(`${runDatabasePrefix()}process`);
  external = database.external;
  env = cleanEnv({ ...database.env, ADMIN_TOKEN, OCPI_BUSINESS_NAME: 'Process Test CPO' });
});
afterEach(async () => {
  await killAllNodes();
});
afterAll(() => {
  removeTempDirs();
});

describe('health and readiness', () => {
  it('when the node has started on a fresh database, then migrations were applied first and /health and /ready answer 200', async () => {
    const node = await startNode(env);
    const messages = node.logs().map((log) => log.message);
    expect(messages.indexOf('migrations applied')).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf('migrations applied')).toBeLessThan(messages.indexOf('listening'));
    expect(node.logs().find((log) => log.message === 'database open')).toMatchObject({ embedded: !external });

    const health = await call(node.baseUrl, 'GET', '/health');
    expect([health.status, health.body?.status_code, health.body?.data]).toEqual([200, 1000, { status: 'up' }]);
    const ready = await call(node.baseUrl, 'GET', '/ready');
    expect([ready.status, ready.body?.status_code, ready.body?.data]).toEqual([200, 1000, { status: 'ready' }]);
    expect(await node.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('start-up failures', () => {
  it('when the port is already taken, then the node exits 1 naming the problem instead of logging listening', async () => {
    const blocker = createTcpServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      // Its own DATA_DIR: the buggy node would be SIGKILLed while holding the embedded database open.
      const node = await spawnNode({ ...env, DATA_DIR: makeTempDir(), PORT: String((blocker.address() as AddressInfo).port) });
      const first = await Promise.race([node.exited, node.waitForLog('listening', 45_000).then(() => 'logged listening')]);
      expect(first).toEqual({ code: 1, signal: null });
      expect(`${node.stderr}${node.stdoutLines.join('\n')}`).toMatch(/EADDRINUSE|in use/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

/** A loopback server in front of the fake eMSP that holds every request for `delayMs` before passing it on. */
async function slowProxy(target: string, delayMs: number): Promise<{ url: string; received: Promise<void>; close(): Promise<void> }> {
  let markReceived: () => void = () => undefined;
  const received = new Promise<void>((resolve) => (markReceived = resolve));
  const pending = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    markReceived();
    const timer = setTimeout(async () => {
      pending.delete(timer);
      const answer = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers: { authorization: req.headers.authorization ?? '' } });
      res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    }, delayMs);
    pending.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        pending.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('graceful shutdown', () => {
  let emsp: FakeEmsp;
  let proxy: Awaited<ReturnType<typeof slowProxy>>;
  const tokenA = 'emsp-token-a-for-process-test';

  beforeEach(async () => {
    emsp = await new FakeEmsp({ tokenA }).start();
    proxy = await slowProxy(emsp.baseUrl, 1500);
  });
  afterEach(async () => {
    await proxy.close();
    await emsp.stop();
  });

  it.each([
    ['a fresh connection per request (Connection: close)', false],
    ['a keep-alive connection (the default of Node 20 and fetch clients)', true],
  ])('when SIGTERM comes with a request in flight on %s, then new connections are refused, the request completes, the database closes and the exit 0 follows within 3 s', async (_label, keepAlive) => {
    const node: NodeProcess = await startNode(env);
    const agent = keepAlive ? new Agent({ keepAlive: true }) : undefined;
    const inFlight = call(node.baseUrl, 'POST', '/admin/partners/register', {
      agent,
      headers: bearer(ADMIN_TOKEN),
      body: { versions_url: `${proxy.url}/ocpi/versions`, token: tokenA },
    });
    await proxy.received; // the node is now waiting for the eMSP's (delayed) versions answer

    const signalledAt = Date.now();
    process.kill(node.pid, 'SIGTERM');
    await node.waitForLog('shutting down', 5_000);
    await expect(call(node.baseUrl, 'GET', '/health', { timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const answer = await inFlight;
    const answeredAt = Date.now();
    expect([answer.status, answer.body?.status_code]).toEqual([201, 1000]);
    expect(answer.body.data).toMatchObject({ status: 'REGISTERED', versions_url: `${proxy.url}/ocpi/versions` });

    const exit = await Promise.race([node.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    const exitedAt = Date.now();
    agent?.destroy();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitedAt - signalledAt).toBeLessThan(10_000);
    // Nothing is left to do once the last request is answered: an idle keep-alive connection must not hold the exit.
    expect(exitedAt - answeredAt).toBeLessThan(3_000);
    const afterSignal = node.logs().slice(node.logs().findIndex((log) => log.message === 'shutting down'));
    expect(afterSignal.filter((log) => log.message === 'request')).toEqual([
      expect.objectContaining({ method: 'POST', path: '/admin/partners/register', status: 201 }),
    ]);
    expect(afterSignal.at(-1)).toMatchObject({ message: 'stopped' });
    expect(node.stderr).toBe('');

    // What the in-flight request wrote was committed before the database closed.
    const restarted = await startNode(env);
    const partners = await call(restarted.baseUrl, 'GET', '/admin/partners', { headers: bearer(ADMIN_TOKEN) });
    expect([partners.status, partners.body?.status_code]).toEqual([200, 1000]);
    expect(partners.body.data).toContainEqual(expect.objectContaining({ id: answer.body.data.id, status: 'REGISTERED' }));
    expect(await restarted.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('when SIGTERM comes while idle, then the node exits 0 promptly after logging stopped', async () => {
    const node = await startNode(env);
    const started = Date.now();
    expect(await node.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(node.logs().map((log) => log.message).slice(-2)).toEqual(['shutting down', 'stopped']);
  });
});
