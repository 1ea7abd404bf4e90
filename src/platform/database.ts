import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { LRUCache } from 'lru-cache';
import { Pool } from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';


/** A timestamp column as an OCPI DateTime in SQL, exactly as Date#toISOString writes it. */
export const iso = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

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
 * Names are remembered per SQL text (hashing on every execution showed up in profiles), within a
 * bound on the texts' bytes.
 */
const statementNames = new LRUCache<string, string>({ maxSize: 4 * 1024 * 1024, sizeCalculation: (_name, sql) => 2 * sql.length + 100 });
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `s${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** Runs single statements with plain SQL, bypassing the Prisma client runtime. */
export interface RawQueries {
  /** `sql` with `$1`... placeholders. */
  query<T>(sql: string, values: readonly unknown[]): Promise<T[]>;
  /** A `Prisma.sql` template, run the same way. */
  run<T>(statement: Prisma.Sql): Promise<T[]>;
}

/** The pool under each client made by createPrismaClient, shared with its Prisma adapter. */
const rawQueries = new WeakMap<PrismaClient, RawQueries>();

/** How a client's connection pool is used: its size, connections open, of them idle, and queries waiting for one. */
export interface PoolUse {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

const poolUses = new WeakMap<PrismaClient, () => PoolUse>();

/** The use of the pool under a client made by createPrismaClient (undefined for any other client). */
export function poolUseOf(prisma: PrismaClient): PoolUse | undefined {
  return poolUses.get(prisma)?.();
}

/**
 * For a repository's hottest statements only (each one alone, never inside a transaction): they run
 * on the same `pg` pool (and so the same connections, one on the embedded database) as the client's
 * own queries, without Prisma's per-query work. Columns come back as `pg` parses them (int8 as a
 * string, not a BigInt). A client not made by createPrismaClient falls back to `$queryRawUnsafe`.
 */
export function rawQueriesOf(prisma: PrismaClient): RawQueries {
  return rawQueries.get(prisma) ?? fromPrisma(prisma);
}

function fromPrisma(prisma: PrismaClient): RawQueries {
  const query = <T>(sql: string, values: readonly unknown[]) => prisma.$queryRawUnsafe<T[]>(sql, ...values);
  return { query, run: (statement) => query(statement.text, statement.values) };
}

/**
 * Settings of every connection the node opens, so that no plan depends on fresh table statistics
 * (right after a bulk import there are none; where autovacuum is off there never are). JIT compilation
 * is off: the planner's stale estimates passed `jit_above_cost`, and a list page that takes 10 ms spent
 * 350 ms compiling. Parallel plans are off: the node runs short statements side by side (a list page is
 * its rows and its count, concurrently), and on stale estimates the count of 100,000 locations became a
 * parallel scan with two workers that made the page 1.4-1.8x slower on 2 cores than its serial plan after
 * ANALYZE (docs/benchmarks.md). Appended to any `options` the URL already carries.
 */
const SESSION_OPTIONS = '-c jit=off -c max_parallel_workers_per_gather=0';

export function withSessionOptions(url: string): string {
  const parsed = new URL(url);
  const given = parsed.searchParams.get('options');
  parsed.searchParams.set('options', given ? `${given} ${SESSION_OPTIONS}` : SESSION_OPTIONS);
  return parsed.toString();
}

export function createPrismaClient(url: string, poolSize: number, options: { preparedStatements: boolean }): PrismaClient {
  const pool = new Pool({ connectionString: withSessionOptions(url), max: poolSize });
  // An idle connection that breaks (e.g. the server restarts) is dropped by the pool; without a listener
  // its 'error' would end the process before Prisma has attached its own (on its first query).
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true,
    ...(options.preparedStatements ? { statementNameGenerator: (query: { sql: string }) => statementName(query.sql) } : {}),
  });
  const prisma = new PrismaClient({ adapter });
  const viaPrisma = fromPrisma(prisma);
  const query = async <T>(sql: string, values: readonly unknown[]): Promise<T[]> => {
    // After $disconnect the adapter has ended this pool; Prisma reconnects with a new one of its own.
    if (pool.ended) return viaPrisma.query<T>(sql, values);
    const result = await pool.query({ name: options.preparedStatements ? statementName(sql) : undefined, text: sql, values: values as unknown[] });
    return result.rows as T[];
  };
  rawQueries.set(prisma, { query, run: (statement) => query(statement.text, statement.values) });
  poolUses.set(prisma, () => ({ max: pool.options.max ?? poolSize, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  return prisma;
}
