import { Client } from 'pg';
import { createPrismaClient, type PrismaClient } from '../../src/platform/database';
import { applyMigrations } from '../../src/platform/migrator';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  embedded: boolean;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export function externalDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** Prefix of the databases one jest run creates (global-teardown drops them). */
export function runDatabasePrefix(): string {
  return `ocpi_test_${process.env.TEST_RUN_ID ?? 'adhoc'}_`;
}

/** A database of this run's jest worker on the configured PostgreSQL, created when missing. */
async function workerDatabaseUrl(baseUrl: string): Promise<string> {
  const name = `${runDatabasePrefix()}${process.env.JEST_WORKER_ID ?? '1'}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function embeddedDatabaseUrl(): string {
  const url = process.env[`EMBEDDED_TEST_DATABASE_URL_${process.env.JEST_WORKER_ID ?? '1'}`];
  if (!url) throw new Error('no embedded test database: run the tests through jest (see test/helpers/global-setup.ts)');
  return url;
}

/**
 * PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, otherwise this worker's embedded one;
 * migrated by the node's own runner either way.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const external = externalDatabaseUrl();
  const url = external ? await workerDatabaseUrl(external) : embeddedDatabaseUrl();
  await applyMigrations(url);
  const prisma = external ? createPrismaClient(url, 5, { preparedStatements: true }) : createPrismaClient(url, 1, { preparedStatements: false });
  return {
    url,
    prisma,
    embedded: !external,
    async reset() {
      const tables = await prisma.$queryRawUnsafe<{ tablename: string }[]>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
      );
      if (tables.length > 0) {
        await prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} CASCADE`);
      }
    },
    async close() {
      await prisma.$disconnect();
    },
  };
}

/**
 * This suite's database: opened before its first test, emptied before each one (call it before
 * registering hooks that write, so the reset runs first), closed after the last.
 */
export function databasePerSuite(): TestDatabase {
  let opened: TestDatabase | undefined;
  const current = (): TestDatabase => {
    if (!opened) throw new Error('the suite database is only open inside tests and their hooks');
    return opened;
  };
  beforeAll(async () => {
    opened = await openTestDatabase();
  });
  afterAll(async () => {
    await opened?.close();
  });
  beforeEach(async () => {
    await current().reset();
  });
  return {
    get url() {
      return current().url;
    },
    get prisma() {
      return current().prisma;
    },
    get embedded() {
      return current().embedded;
    },
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

/**
 * This suite's database and a plain `pg` client on it (opened before the first test, closed after the
 * last), for tests that look at the schema itself rather than through the app.
 */
export function pgClientPerSuite(): { readonly db: TestDatabase; readonly pg: Client } {
  let db: TestDatabase | undefined;
  let pg: Client | undefined;
  beforeAll(async () => {
    db = await openTestDatabase();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await db?.close();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite database is only open inside tests and their hooks');
    return value;
  };
  return {
    get db() {
      return opened(db);
    },
    get pg() {
      return opened(pg);
    },
  };
}
