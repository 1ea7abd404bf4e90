import { ConfigError, loadConfig } from './config';
import { createLogger } from './platform/logger';
import { migrateDatabase } from './platform/migrate-database';

/** `npm run migrate`: applies pending migrations to the configured (or embedded) database and exits. */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const applied = await migrateDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  logger.info('migrations applied', { migrations: applied, count: applied.length });
}

migrate().catch((error: Error) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
