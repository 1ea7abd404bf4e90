import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite's defaults, except a smaller buffer cache: its PostgreSQL lives in this process's memory,
 * and the default 128 MB of shared buffers alone filled 128 MB of it (docs/benchmarks.md).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * A new data directory is initialised (initdb) by a short-lived child process: initdb's WebAssembly
 * instances and their memory (800 MB at their peak) would otherwise stay in this process.
 */
async function initialise(pgdata: string): Promise<void> {
  if (existsSync(path.join(pgdata, 'PG_VERSION'))) return;
  const script = 'require(process.argv[1]).PGlite.create(process.argv[2]).then((db) => db.close())';
  const child = spawn(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), pgdata], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString('utf8')).slice(-2000)));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('exit', resolve));
  if (code !== 0) throw new Error(`initialising the embedded database in ${pgdata} failed (exit ${code}): ${errors}`);
}

/**
 * PostgreSQL compiled to WebAssembly, served on a loopback port so the same `pg` driver, Prisma adapter
 * and SQL migrations work unchanged. `dataDir` undefined keeps the database in memory (tests).
 */
export async function startEmbeddedPostgres(dataDir: string | undefined, maxConnections: number): Promise<EmbeddedPostgres> {
  let db: PGlite;
  if (dataDir) {
    const pgdata = path.resolve(dataDir, 'pgdata');
    mkdirSync(pgdata, { recursive: true });
    await initialise(pgdata);
    db = await PGlite.create(pgdata, { startParams: START_PARAMS });
  } else {
    db = await PGlite.create({ startParams: START_PARAMS });
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
