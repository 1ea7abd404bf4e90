import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import winston from 'winston';
import { buildApp, type AppDeps } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createContainer } from '../../src/container';
import type { Clock } from '../../src/platform/clock';
import { systemClock } from '../../src/platform/clock';
import type { Logger } from '../../src/platform/logger';
import { createLogger } from '../../src/platform/logger';
import type { TestDatabase } from './test-database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: Express;
  /** Base URL of the node on loopback (partners call it back during handshakes). */
  baseUrl: string;
  versionsUrl: string;
  adminToken: string;
  logLines: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Replace a dependency, e.g. to make one fail the way a crash would. */
  mapDeps?: (deps: AppDeps) => AppDeps;
}

/** Captures every log line as the JSON the node would print, so tests can read what was logged. */
function capturingLogger(lines: string[]): Logger {
  const logger = createLogger('debug');
  logger.clear();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8').trim());
      done();
    },
  });
  logger.add(new winston.transports.Stream({ stream: sink }));
  return logger;
}

/** The real app on the test database, listening on a loopback port. */
export async function startTestApp(database: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    OCPI_COUNTRY_CODE: 'NL',
    OCPI_PARTY_ID: 'CPO',
    OCPI_BUSINESS_NAME: 'Test CPO',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PUBLIC_URL: baseUrl,
    PARTNER_TIMEOUT_MS: '2000',
    BODY_LIMIT: '64kb',
    PUSH_ENABLED: 'false',
    // Off unless a test turns it on: the background pull would add requests to every fake eMSP's log.
    TOKENS_PULL_ON_REGISTER: 'false',
    ...options.env,
  });
  const logLines: string[] = [];
  const logger = capturingLogger(logLines);
  const db = { prisma: database.prisma, url: database.url, embedded: database.embedded, close: async () => undefined };
  const container = createContainer(config, db, logger, options.clock ?? systemClock);
  await container.ensureAdminToken(config.adminToken);
  const app = buildApp(options.mapDeps ? options.mapDeps(container.appDeps) : container.appDeps);
  server.on('request', app);
  if (config.push.enabled) container.pushWorker.start();
  return {
    app,
    baseUrl,
    versionsUrl: `${baseUrl}/ocpi/versions`,
    adminToken: TEST_ADMIN_TOKEN,
    logLines,
    close: async () => {
      // Deliveries still in flight finish first (their partner is usually stopped already, so they fail
      // fast): one left running would write into, or deadlock with, the next test's database reset.
      await container.stopCharger();
      await container.pushWorker.stop(3000);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
