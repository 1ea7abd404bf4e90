import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from '../../src/platform/migrator';
import { locationBody } from '../../test/helpers/location-factory';

/** Our party, as the node is configured in the benchmark (the defaults of src/config.ts). */
export const COUNTRY_CODE = 'NL';
export const PARTY_ID = 'CPO';

/** Location ids: BENCH-0000001 .. ; pk i holds location i on a fresh database. */
export const locationId = (i: number): string => `BENCH-${String(i).padStart(7, '0')}`;

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,63}$/.test(name)) throw new Error(`unsupported database name "${name}"`);
  return name;
}

/**
 * Drops and recreates the benchmark database, then applies the node's migrations. Refuses a database whose
 * name does not contain "bench", so a mistyped URL cannot wipe a real one.
 */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  if (!/bench/i.test(name)) throw new Error(`refusing to drop database "${name}": its name must contain "bench"`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  await applyMigrations(url);
}

/**
 * Location i as the operator's import sends it to the admin API: test/helpers/location-factory.ts's body
 * (two EVSEs of two connectors: an AC socket and a DC cable), every other one published, coordinates and
 * address varying with i.
 */
export function benchLocation(i: number): Record<string, unknown> {
  return locationBody(locationId(i), {
    publish: i % 2 === 0,
    address: `Stationsplein ${(i % 500) + 1}`,
    coordinates: { latitude: `52.${String(i % 1_000_000).padStart(6, '0')}`, longitude: `5.${String((i * 7919) % 1_000_000).padStart(6, '0')}` },
  });
}

export interface PartnerCredentials {
  /** The secret; requests carry `Authorization: Token <base64(secret)>`. */
  secret: string;
  authorization: string;
}

/** A registered partner with an active EMSP token on an already seeded database, for the diagnosis scripts. */
export interface BenchPartner extends PartnerCredentials {
  /** How many locations the database holds. */
  locations: number;
  remove(): Promise<void>;
}

export async function addBenchPartner(client: Client, label: string): Promise<BenchPartner> {
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM locations');
  const locations = Number(rows[0]!.n);
  if (locations === 0) throw new Error('no locations in this database: run npm run bench:locations first');
  const partnerId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  await client.query(`INSERT INTO partners (id, status) VALUES ($1, 'REGISTERED')`, [partnerId]);
  await client.query(`INSERT INTO access_tokens (id, token_hash, role, status, label, partner_id) VALUES ($1, $2, 'EMSP', 'ACTIVE', $3, $4)`, [
    randomUUID(), createHash('sha256').update(secret, 'utf8').digest('hex'), label, partnerId,
  ]);
  return {
    secret,
    authorization: `Token ${Buffer.from(secret, 'utf8').toString('base64')}`,
    locations,
    async remove() {
      await client.query('DELETE FROM partners WHERE id = $1', [partnerId]).catch(() => undefined);
    },
  };
}

/** pk of the row of `table` at `position` (0-based) in pk order: the keyset position of a cursor reaching `position + 1`. */
export async function pkAt(url: string, position: number, table: 'locations' | 'tariffs' = 'locations'): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // Aliased: `ORDER BY pk` would otherwise sort by the text output column.
    const { rows } = await client.query<{ key: string }>(`SELECT pk::text AS key FROM ${table} ORDER BY pk OFFSET $1 LIMIT 1`, [position]);
    if (!rows[0]) throw new Error(`no row of ${table} at position ${position}`);
    return rows[0].key;
  } finally {
    await client.end();
  }
}
