import { createPrismaClient, rawQueriesOf, type PrismaClient } from '../../src/platform/database';
import { EVSE_OWNERS_SQL } from '../../src/modules/locations/locations.repository';
import { databasePerSuite } from '../helpers/test-database';

/**
 * Issue 8.2: the node's latency must not depend on fresh table statistics (right after an import there
 * are none; where autovacuum is off there never are). Every connection the node opens runs with JIT off
 * (a list page spent 350 ms compiling on stale estimates) and without parallel plans (a list page's
 * count became a parallel scan on stale estimates, slower beside the page's other statement), and
 * statements are written so that a plan made while the tables were nearly empty still serves once they
 * have grown.
 */
const db = databasePerSuite();

/** Whether the server could compile at all (pg_jit_available() also answers false while jit is off). */
async function serverCanCompile(prisma: PrismaClient): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SET LOCAL jit = on');
    const [row] = await tx.$queryRawUnsafe<{ available: boolean }[]>('SELECT pg_jit_available() AS available');
    return row!.available;
  });
}

const SETTINGS = "SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS parallel";

it('when the node queries through Prisma, inside a transaction, or on the pool directly, then JIT and parallel plans are off', async () => {
  // The embedded database (PGlite) has no JIT compiler and ignores connection options; its statements
  // are never prepared (platform/database.ts), so each is planned against the tables as they are.
  if (db.embedded) return expect(await serverCanCompile(db.prisma)).toBe(false);
  const off = [{ jit: 'off', parallel: '0' }];
  expect(await db.prisma.$queryRawUnsafe(SETTINGS)).toEqual(off);
  expect(await db.prisma.$transaction((tx) => tx.$queryRawUnsafe(SETTINGS))).toEqual(off);
  expect(await rawQueriesOf(db.prisma).query(SETTINGS, [])).toEqual(off);
});

it('when the database URL already carries options, then they are kept beside the node\'s own', async () => {
  if (db.embedded) return;
  const url = new URL(db.url);
  url.searchParams.set('options', '-c statement_timeout=4321');
  const prisma = createPrismaClient(url.toString(), 1, { preparedStatements: false });
  try {
    const rows = await prisma.$queryRawUnsafe(`${SETTINGS}, current_setting('statement_timeout') AS timeout`);
    expect(rows).toEqual([{ jit: 'off', parallel: '0', timeout: '4321ms' }]);
  } finally {
    await prisma.$disconnect();
  }
});

/** `count` locations with two EVSEs each, ids from `from` on, in one statement. */
const ADD_LOCATIONS = `WITH l AS (
    INSERT INTO locations (country_code, party_id, id, id_key, publish, data, last_updated)
    SELECT 'NL', 'CPO', 'L' || i, 'L' || i, true, '{}', now() FROM generate_series($1::int, $1::int + $2::int - 1) AS i RETURNING pk, id)
  INSERT INTO evses (location_pk, uid, uid_key, status, data, last_updated)
  SELECT l.pk, l.id || '-E' || e, l.id || '-E' || e, 'AVAILABLE', '{}', now() FROM l, generate_series(1, 2) AS e`;

it('when the EVSE owners lookup was prepared while its tables were nearly empty, then it still uses their indexes once they have grown', async () => {
  if (db.embedded) return;
  const prisma = createPrismaClient(db.url, 1, { preparedStatements: true });
  const raw = rawQueriesOf(prisma);
  try {
    await raw.query(ADD_LOCATIONS, [1, 3]);
    // The EVSE owners lookup (locations.repository.ts), as an operator's first import meets it.
    await raw.query(`PREPARE owners(text[]) AS ${EVSE_OWNERS_SQL}`, []);
    // Six executions while the tables hold a few rows: PostgreSQL then keeps the generic plan for the connection.
    for (let i = 0; i < 6; i++) await raw.query("EXECUTE owners(ARRAY['L1-E1', 'L1-E2'])", []);
    await raw.query(ADD_LOCATIONS, [1000, 10_000]);
    const plan = await raw.query<{ 'QUERY PLAN': string }>("EXPLAIN EXECUTE owners(ARRAY['L2000-E1', 'L2000-E2'])", []);
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Scan|Index Cond/);
    expect(text).not.toMatch(/Seq Scan/);
  } finally {
    await prisma.$disconnect();
  }
});
