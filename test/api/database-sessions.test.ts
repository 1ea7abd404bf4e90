import { createPrismaClient, rawQueriesOf, type PrismaClient } from '../../src/platform/database';
import { databasePerSuite } from '../helpers/test-database';

/**
 * Issue 8.2: the node's latency must not depend on fresh table statistics. Right after an import the
 * planner's estimates for the location list passed `jit_above_cost`, and a 10 ms page spent 350 ms
 * compiling; every connection the node opens therefore runs with JIT off.
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

it('when the node queries through Prisma, inside a transaction, or on the pool directly, then JIT compilation is off', async () => {
  // The embedded database (PGlite) has no JIT compiler at all: there is nothing to turn off.
  if (db.embedded) return expect(await serverCanCompile(db.prisma)).toBe(false);
  const show = (rows: { jit: string }[]) => rows[0]!.jit;
  expect(show(await db.prisma.$queryRawUnsafe('SHOW jit'))).toBe('off');
  expect(show(await db.prisma.$transaction((tx) => tx.$queryRawUnsafe('SHOW jit')))).toBe('off');
  expect(show(await rawQueriesOf(db.prisma).query('SHOW jit', []))).toBe('off');
});

it('when the database URL already carries options, then they are kept and JIT is still off', async () => {
  const url = new URL(db.url);
  url.searchParams.set('options', '-c statement_timeout=4321');
  const prisma = createPrismaClient(url.toString(), 1, { preparedStatements: false });
  try {
    const [row] = await prisma.$queryRawUnsafe<{ timeout: string; jit: string }[]>(
      "SELECT current_setting('statement_timeout') AS timeout, current_setting('jit') AS jit",
    );
    if (db.embedded) return expect(await serverCanCompile(prisma)).toBe(false);
    expect(row).toEqual({ timeout: '4321ms', jit: 'off' });
  } finally {
    await prisma.$disconnect();
  }
});
