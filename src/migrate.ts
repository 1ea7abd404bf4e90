import { ConfigError, loadConfig } from './config';
import { openDatabase } from './platform/database';
import { createLogger } from './platform/logger';
import { applyMigrations } from './platform/migrator';

/** `npm run migrate`: applies pending migrations to the configured (or embedded) database and exits. */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
  try {
    const applied = await applyMigrations(database.url);
    logger.info('migrations applied', { migrations: applied, count: applied.length });
  } finally {
    await database.close();
  }
}

migrate().catch((error: Error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
