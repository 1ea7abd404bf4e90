import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { migrateDatabase } from '../platform/migrate-database';
import { printJson } from './format';
import { CliError, type CliIo } from './io';

/** `migrate`: what `npm run migrate` does, on the database the node's own configuration names. */
export function addMigrateCommand(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('apply pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR (as npm run migrate)')
    .action(async (_options: unknown, command: Command) => {
      let config;
      try {
        config = loadConfig(io.env);
      } catch (error) {
        throw error instanceof ConfigError ? new CliError(error.message, 2) : error;
      }
      const applied = await migrateDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      if (command.optsWithGlobals<{ json?: boolean }>().json) return printJson(io, applied);
      io.stdout.write(applied.length === 0 ? 'no pending migrations\n' : `applied ${applied.length} migrations:\n${applied.map((name) => `  ${name}\n`).join('')}`);
    });
}
