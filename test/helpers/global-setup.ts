import type { Config } from 'jest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/embedded-postgres';
import { externalDatabaseUrl } from './test-database';

declare global {
  var embeddedTestDatabases: EmbeddedPostgres[] | undefined;
}

/**
 * Without an external PostgreSQL, one embedded database per jest worker. They start here because
 * PGlite loads its WebAssembly with a dynamic import, which jest's test sandboxes do not allow.
 */
export default async function globalSetup(globalConfig: Config): Promise<void> {
  if (externalDatabaseUrl()) return;
  const workers = Math.max(1, Number(globalConfig.maxWorkers ?? 1));
  globalThis.embeddedTestDatabases = await Promise.all(Array.from({ length: workers }, () => startEmbeddedPostgres(undefined, 12)));
  globalThis.embeddedTestDatabases.forEach((db, index) => {
    process.env[`EMBEDDED_TEST_DATABASE_URL_${index + 1}`] = db.url;
  });
}
