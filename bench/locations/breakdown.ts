/**
 * Where a request's time goes: the node's data access (Prisma repositories, mapping, JSON) against the
 * baseline's hand-written SQL, operation by operation, in one process, sequentially. For each: the Node CPU
 * per operation (process.cpuUsage), the PostgreSQL backends' CPU per operation (/proc) and the wall time.
 *
 *   npx tsx bench/locations/breakdown.ts [--db <url>] [--iterations 1000]
 *
 * Needs the database seeded by `npm run bench:locations` (it adds, then removes, a partner and its token).
 */
import { createHash } from 'node:crypto';
import { Client, Pool } from 'pg';
import { candidateSecrets } from '../../src/ocpi/auth';
import { createAccessTokenRepository } from '../../src/modules/credentials/access-token.repository';
import { locationObject } from '../../src/modules/locations/locations.mapper';
import { createLocationsRepository } from '../../src/modules/locations/locations.repository';
import { systemClock } from '../../src/platform/clock';
import { createPrismaClient } from '../../src/platform/database';
import { SQL_PAGE, SQL_SINGLE } from './baseline-sql';
import { cpuMsOf } from './processes';
import { addBenchPartner, COUNTRY_CODE, locationId, PARTY_ID } from './seed';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const db = option('db', process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/ocpi_bench');
const iterations = Number(option('iterations', '1000'));

async function backendCpuMs(monitor: Client): Promise<Map<number, number>> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return new Map(rows.map((r) => [r.pid, cpuMsOf(r.pid)]));
}

async function measure(monitor: Client, label: string, n: number, op: (i: number) => Promise<unknown>): Promise<string> {
  for (let i = 0; i < Math.min(n, 200); i++) await op(i);
  const before = await backendCpuMs(monitor);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op(i);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const after = await backendCpuMs(monitor);
  let dbMs = 0;
  for (const [pid, ms] of after) dbMs += ms - (before.get(pid) ?? 0);
  const f = (v: number) => (v / n).toFixed(3).padStart(7);
  return `| ${label} | ${f((used.user + used.system) / 1000)} | ${f(dbMs)} | ${f(wallMs)} |`;
}

async function main(): Promise<void> {
  const monitor = new Client({ connectionString: db });
  await monitor.connect();
  const partner = await addBenchPartner(monitor, 'breakdown');
  const n = partner.locations;
  const prisma = createPrismaClient(db, 10, { preparedStatements: true });
  const pool = new Pool({ connectionString: db, max: 10 });
  try {
    const tokens = createAccessTokenRepository(prisma, systemClock);
    const locations = createLocationsRepository(prisma, () => new Date());
    const candidates = candidateSecrets(partner.authorization)!;
    const id = (i: number) => locationId(1 + ((i * 7919) % n));
    const TOKEN_SQL = `SELECT t.id, t.role, t.partner_id, p.status FROM access_tokens t LEFT JOIN partners p ON p.id = t.partner_id
      WHERE t.token_hash = ANY($1) AND t.status = 'ACTIVE'`;
    const hashes = candidates.map((c) => createHash('sha256').update(c).digest('hex'));

    const lines = [
      `Per operation, sequential, ${iterations} iterations after as many (at most 200) unrecorded, N = ${n}:`,
      '',
      '| Operation | Node CPU, ms | PostgreSQL CPU, ms | Wall, ms |',
      '|---|---:|---:|---:|',
      await measure(monitor, 'ours: token lookup (access-token.repository resolve, Prisma)', iterations, () => tokens.resolve(candidates)),
      await measure(monitor, 'baseline-style: token lookup, hand-written SQL (unnamed statement)', iterations, () => pool.query(TOKEN_SQL, [hashes])),
      await measure(monitor, 'ours: findTree + locationObject + JSON.stringify (Prisma, the admin read)', iterations, async (i) =>
        JSON.stringify(locationObject((await locations.findTree(COUNTRY_CODE, PARTY_ID, id(i)))!))),
      await measure(monitor, 'ours: findJson (pg pool under Prisma, JSON built in SQL, the sender read)', iterations, (i) =>
        locations.findJson(COUNTRY_CODE, PARTY_ID, id(i))),
      await measure(monitor, 'baseline: single location SQL, named (prepared) statement', iterations, (i) =>
        pool.query({ name: 'single', text: SQL_SINGLE, values: [COUNTRY_CODE, PARTY_ID, id(i).toUpperCase()] })),
      await measure(monitor, 'baseline SQL as an unnamed statement (planned every time)', iterations, (i) =>
        pool.query(SQL_SINGLE, [COUNTRY_CODE, PARTY_ID, id(i).toUpperCase()])),
      await measure(monitor, 'ours: list page of 100 (Prisma raw, JSON built in SQL) + count', Math.ceil(iterations / 10), async (i) => {
        const page = await locations.list({ publishedOnly: false }, { offset: 0, limit: 100, after: String((i * 100) % Math.max(1, n - 100)) });
        return `[${page.items.map((item) => item.json).join(',')}]`;
      }),
      await measure(monitor, 'baseline: page of 100 SQL, named statement', Math.ceil(iterations / 10), (i) =>
        pool.query({ name: 'page', text: SQL_PAGE, values: [String((i * 100) % Math.max(1, n - 100)), 100] })),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await partner.remove();
    await prisma.$disconnect();
    await pool.end();
    await monitor.end();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`breakdown failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
