import { Client } from 'pg';
import { externalDatabaseUrl, runDatabasePrefix } from './test-database';

export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.embeddedTestDatabases ?? []).map((db) => db.stop()));
  const external = externalDatabaseUrl();
  if (!external) return;
  const client = new Client({ connectionString: external });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runDatabasePrefix()}%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
