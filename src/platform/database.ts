import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  /** Directory for the embedded database's files; undefined keeps it in memory. */
  dataDir: string | undefined;
  poolSize: number;
}

/** Connects to PostgreSQL at `databaseUrl`, or starts the embedded one when none is configured. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    // One connection for the node, one spare for a reconnect or the migration runner.
    embedded = await startEmbeddedPostgres(options.dataDir, 2);
    url = embedded.url;
  }
  // The embedded database runs every connection on one backend, interleaving their protocol messages
  // (unnamed portals, transactions): one connection is the only safe pool there.
  const prisma = embedded ? createPrismaClient(url, 1, { preparedStatements: false }) : createPrismaClient(url, options.poolSize, { preparedStatements: true });
  return {
    prisma,
    url,
    embedded: embedded !== undefined,
    async close() {
      await prisma.$disconnect();
      await embedded?.stop();
    },
  };
}

/**
 * Statements are named by a hash of their SQL, so each connection prepares a query shape once
 * instead of having PostgreSQL plan it on every execution. Not on the embedded database: its socket
 * serves every connection from one backend, where the names of different connections would collide.
 */
const statementName = (query: { sql: string }) => `s${createHash('sha1').update(query.sql).digest('base64url').slice(0, 20)}`;

export function createPrismaClient(url: string, poolSize: number, options: { preparedStatements: boolean }): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: url, max: poolSize },
    options.preparedStatements ? { statementNameGenerator: statementName } : {},
  );
  return new PrismaClient({ adapter });
}
