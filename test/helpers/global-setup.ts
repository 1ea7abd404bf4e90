import type { Config } from 'jest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/embedded-postgres';
import { externalDatabaseUrl } from './test-database';

declare global {
  var embeddedTestDatabases: EmbeddedPostgres[] | undefined;
}

/**
 * On an external PostgreSQL, each run gets its own databases (named after this process), so runs
 * side by side do not share data. Without one, one embedded database per jest worker starts here,
 * because PGlite loads its WebAssembly with a dynamic import that jest's test sandboxes do not allow.
 */
export default async function globalSetup(globalConfig: Config): Promise<void> {
  process.env.TEST_RUN_ID = String(process.pid);
  if (externalDatabaseUrl()) return;
  const workers = Math.max(1, Number(globalConfig.maxWorkers ?? 1));
  globalThis.embeddedTestDatabases = await Promise.all(Array.from({ length: workers }, () => startEmbeddedPostgres(undefined, 12)));
  globalThis.embeddedTestDatabases.forEach((db, index) => {
    process.env[`EMBEDDED_TEST_DATABASE_URL_${index + 1}`] = db.url;
  });
}
