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
    embedded = await startEmbeddedPostgres(options.dataDir, options.poolSize + 2);
    url = embedded.url;
  }
  const prisma = createPrismaClient(url, options.poolSize);
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

export function createPrismaClient(url: string, poolSize: number): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return new PrismaClient({ adapter });
}
