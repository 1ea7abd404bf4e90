import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expectOcpi } from '../helpers/ocpi-assertions';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { databasePerSuite } from '../helpers/test-database';
import { adminApi } from '../api/push/push-harness';
import { cliFor, runCli } from './cli-harness';

/** Issue 13.6: what the CLI says when the node, the token or the command line is wrong. */

const db = databasePerSuite();
let node: TestApp;

beforeEach(async () => {
  node = await startTestApp(db);
});
afterEach(async () => {
  await node.close();
});

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the node refuses or is not there', () => {
  it('when the admin token is wrong, then exit 1 with the 401 status and message, and the token is not shown', async () => {
    const token = 'not-the-admin-token-0123456789';
    const listed = await cliFor(node, { ADMIN_TOKEN: token })(['partners', 'list']);
    expect(listed).toMatchObject({ code: 1, stdout: '' });
    expect(listed.stderr).toBe('error: OCPI 2000: Missing or unknown credentials token (HTTP 401)\n');
  });

  it('when --token is given, then it wins over ADMIN_TOKEN', async () => {
    const cli = cliFor(node, { ADMIN_TOKEN: 'not-the-admin-token-0123456789' });
    expect((await cli(['partners', 'list', '--token', node.adminToken])).code).toBe(0);
  });

  it('when the node is down, then exit 1 saying which address could not be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const listed = await runCli(['partners', 'list'], { env: { OCPI_NODE_URL: url, ADMIN_TOKEN: node.adminToken } });
    expect(listed).toMatchObject({ code: 1, stdout: '', stderr: `error: cannot reach the node at ${url}: ECONNREFUSED\n` });
  });

  it('when no URL is configured, then the node is looked for on localhost at PORT', async () => {
    const port = await closedPort();
    const listed = await runCli(['partners', 'list'], { env: { PORT: String(port), ADMIN_TOKEN: node.adminToken } });
    expect(listed.stderr).toBe(`error: cannot reach the node at http://localhost:${port}: ECONNREFUSED\n`);
  });

  it('when --url misses the admin API, then exit 1 with the node\'s 404', async () => {
    const listed = await cliFor(node)(['partners', 'list', '--url', `${node.baseUrl}/nowhere`]);
    expect(listed).toMatchObject({ code: 1, stderr: 'error: OCPI 2000: No endpoint at GET /nowhere/admin/partners (HTTP 404)\n' });
  });

  it('when --url points at a server that is not the node, then exit 1 saying it did not answer OCPI', async () => {
    const other = createHttpServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>hello</html>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const listed = await cliFor(node)(['partners', 'list', '--url', url]);
      expect(listed).toMatchObject({ code: 1, stderr: `error: GET ${url}/admin/partners: HTTP 200, not an OCPI answer (is ${url} the node?)\n` });
    } finally {
      other.closeAllConnections();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

describe('usage errors exit 2 and send nothing', () => {
  it('when no admin token is given at all, then exit 2 asking for one', async () => {
    const listed = await runCli(['partners', 'list'], { env: { OCPI_NODE_URL: node.baseUrl } });
    expect(listed).toMatchObject({ code: 2, stderr: 'error: no admin token: pass --token or set ADMIN_TOKEN\n' });
  });

  it('when OCPI_NODE_URL or --url is not an http URL, then exit 2 naming it', async () => {
    const env = await runCli(['partners', 'list'], { env: { OCPI_NODE_URL: 'ftp://node', ADMIN_TOKEN: node.adminToken } });
    expect(env).toMatchObject({ code: 2, stderr: 'error: invalid configuration: OCPI_NODE_URL="ftp://node"\n' });
    const flag = await cliFor(node)(['partners', 'list', '--url', 'node:3000']);
    expect(flag).toMatchObject({ code: 2, stderr: 'error: --url must be an http(s) URL, got "node:3000"\n' });
  });

  it('when a command or argument is missing or unknown, then exit 2 with commander\'s message', async () => {
    const cli = cliFor(node);
    expect((await cli(['partners', 'show'])).code).toBe(2);
    expect((await cli(['partners', 'show'])).stderr).toContain("error: missing required argument 'id'");
    expect((await cli(['partners', 'frobnicate'])).code).toBe(2);
    expect((await cli(['partners', 'list', '--colour'])).stderr).toContain("error: unknown option '--colour'");
    expect((await cli(['partners', 'resync', 'x', '--timeout', 'soon'])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });

  describe('reconcile --purge', () => {
    const PARTNER = '00000000-0000-4000-8000-000000000000';

    it('when --purge comes without --yes and no terminal to ask on, then exit 2 and nothing is sent', async () => {
      const out = await cliFor(node, { ADMIN_TOKEN: 'a-wrong-token-so-any-request-would-401' })(['partners', 'reconcile', PARTNER, '--purge']);
      expect(out).toMatchObject({ code: 2, stderr: "error: --purge clears the partner's copy first: confirm with --yes (no terminal to ask on)\n" });
    });

    it('when the operator at a terminal does not type PURGE, then exit 2 and nothing is sent', async () => {
      const out = await cliFor(node, { ADMIN_TOKEN: 'a-wrong-token-so-any-request-would-401' })(['partners', 'reconcile', PARTNER, '--purge'], { answers: ['yes'] });
      expect(out.questions).toEqual([`This deletes partner ${PARTNER}'s whole copy of our locations, then sends everything again. Type PURGE to go on: `]);
      expect(out).toMatchObject({ code: 2, stderr: 'error: purge not confirmed: nothing was done\n' });
    });

    it('when --yes comes without --purge, then exit 2', async () => {
      const out = await cliFor(node)(['partners', 'reconcile', PARTNER, '--yes']);
      expect(out).toMatchObject({ code: 2, stderr: 'error: --yes only confirms --purge\n' });
    });
  });

  it('when a usage error happens, then the node saw no change', async () => {
    await cliFor(node)(['partners', 'create', '--role', 'nobody']);
    const listed = await adminApi(node).get('/admin/partners');
    expectOcpi(listed, 200, 1000);
    expect(listed.body.data).toEqual([]);
  });
});
