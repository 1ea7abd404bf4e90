import type { Server } from 'node:http';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createContainer } from './container';
import { systemClock } from './platform/clock';
import { openDatabase } from './platform/database';
import { createLogger, type Logger } from './platform/logger';
import { applyMigrations } from './platform/migrator';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  logger.info('database open', { embedded: database.embedded, data_dir: database.embedded ? config.dataDir : undefined });
  const applied = await applyMigrations(database.url);
  if (applied.length > 0) logger.info('migrations applied', { migrations: applied });

  const container = createContainer(config, database, logger, systemClock);
  const { generated } = await container.ensureAdminToken(config.adminToken);
  if (generated) {
    // Shown once, outside the logs (which never carry tokens); only its hash is stored.
    process.stdout.write(`\nGenerated admin token (shown once, store it now): ${generated}\n\n`);
  }

  const app = buildApp(container.appDeps);
  const server = app.listen(config.port, config.host, (error?: Error) => {
    if (error) {
      process.stderr.write(`cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
      process.exit(1);
    }
    logger.info('listening', { host: config.host, port: config.port, public_url: config.publicUrl, open_data: config.openData });
  });
  if (config.push.enabled) container.pushWorker.start();
  installShutdown(server, {
    // The simulator first: its last writes still reach the outbox the worker drains.
    stopBackground: async () => {
      await container.stopCharger();
      await container.pushWorker.stop(config.shutdownTimeoutMs / 2);
    },
    closeDatabase: () => database.close(),
  }, logger, config.shutdownTimeoutMs);
}

/** SIGTERM/SIGINT: stop accepting, let in-flight requests and deliveries finish, close the database, exit 0. */
interface Resources {
  stopBackground(): Promise<void>;
  closeDatabase(): Promise<void>;
}

function installShutdown(server: Server, resources: Resources, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const backgroundStopped = resources.stopBackground();
    // Keep-alive connections whose last request ends after this point must be closed too.
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    server.close(async () => {
      clearInterval(idleSweep);
      await backgroundStopped;
      await resources.closeDatabase().catch((error: Error) => logger.error('closing the database failed', { error: error.message }));
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Logged only now: whoever reads 'shutting down' finds the port already closed.
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown timed out, exiting');
      process.exit(1);
    }, timeoutMs);
    force.unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: Error) => {
  process.stderr.write(`fatal: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
