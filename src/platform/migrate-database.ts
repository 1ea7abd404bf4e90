import { openDatabase } from './database';
import { applyMigrations } from './migrator';

/**
 * Applies pending migrations to the PostgreSQL at `databaseUrl`, or to the embedded database in `dataDir`
 * when there is none, and closes it again; the names of the migrations applied (`npm run migrate`, the CLI).
 */
export async function migrateDatabase(options: { databaseUrl: string | undefined; dataDir: string }): Promise<string[]> {
  const database = await openDatabase({ ...options, poolSize: 1 });
  try {
    return await applyMigrations(database.url);
  } finally {
    await database.close();
  }
}
