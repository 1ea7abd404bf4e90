import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bearer, call, cleanEnv, killAllNodes, makeTempDir, parseLog, removeTempDirs, startNode, type NodeProcess } from '../helpers/node-process';

jest.setTimeout(90_000);

afterEach(async () => {
  await killAllNodes();
});
afterAll(() => {
  removeTempDirs();
});

const TOKEN_LINE = /^Generated admin token \(shown once, store it now\): (\S+)$/;

function tokenLines(node: NodeProcess): string[] {
  return node.stdoutLines.filter((line) => line.startsWith('Generated admin token'));
}

/** Every file under `dir` contains `needle` (as UTF-8 bytes)? Counts the files that do. */
function filesContaining(dir: string, needle: string): number {
  const bytes = Buffer.from(needle, 'utf8');
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    if (readFileSync(path.join(entry.parentPath, entry.name)).includes(bytes)) count += 1;
  }
  return count;
}

describe('the admin token when ADMIN_TOKEN is unset (embedded database)', () => {
  it('when the node starts fresh, then it prints a token once that works, and after a restart it prints none, the token still works and data survived', async () => {
    const dataDir = makeTempDir();
    const env = cleanEnv({ DATA_DIR: dataDir });

    const first = await startNode(env);
    const printed = tokenLines(first);
    expect(printed).toHaveLength(1);
    const token = TOKEN_LINE.exec(printed[0] as string)?.[1] as string;
    expect(token).toMatch(/^[\x21-\x7E]{16,64}$/);

    const anonymous = await call(first.baseUrl, 'GET', '/admin/partners');
    expect([anonymous.status, anonymous.body?.status_code]).toEqual([401, 2000]);
    const wrong = await call(first.baseUrl, 'GET', '/admin/partners', { headers: bearer(`${token}x`) });
    expect([wrong.status, wrong.body?.status_code]).toEqual([401, 2000]);

    const empty = await call(first.baseUrl, 'GET', '/admin/partners', { headers: bearer(token) });
    expect([empty.status, empty.body?.status_code, empty.body?.data]).toEqual([200, 1000, []]);
    const slot = await call(first.baseUrl, 'POST', '/admin/partners', { headers: bearer(token) });
    expect([slot.status, slot.body?.status_code]).toEqual([201, 1000]);
    const { id, token_a: tokenA } = slot.body.data as { id: string; token_a: string };

    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    // Stored hashed: the data files hold the token's SHA-256 but never the token itself.
    expect(filesContaining(dataDir, createHash('sha256').update(token).digest('hex'))).toBeGreaterThan(0);
    expect(filesContaining(dataDir, token)).toBe(0);

    const second = await startNode(env);
    expect(tokenLines(second)).toEqual([]);
    const listed = await call(second.baseUrl, 'GET', '/admin/partners', { headers: bearer(token) });
    expect([listed.status, listed.body?.status_code]).toEqual([200, 1000]);
    expect(listed.body.data).toEqual([expect.objectContaining({ id, status: 'PENDING' })]);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    // Across both runs the token shows up in exactly one stdout line, never in a log line or on stderr.
    const output = [...first.stdoutLines, ...second.stdoutLines];
    expect(output.filter((line) => line.includes(token))).toEqual(printed);
    expect(output.filter((line) => line.includes(tokenA))).toEqual([]);
    expect(output.filter((line) => !TOKEN_LINE.test(line) && parseLog(line) === undefined)).toEqual([]);
    expect(first.stderr + second.stderr).not.toContain(token);
    // The requests above were logged, so the check covers the access log too.
    expect(first.logs().filter((log) => log.message === 'request' && log.path === '/admin/partners')).toHaveLength(4);
  });
});
