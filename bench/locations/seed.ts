import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations } from '../../src/platform/migrator';

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
 * N locations as the admin API would store them for test/helpers/location-factory.ts bodies: each with two
 * EVSEs of two connectors (one AC socket, one DC cable), every other one published, distinct last_updated
 * values (one second apart for locations; EVSEs and connectors a little earlier than their location).
 */
const SEED_SQL = [
  `INSERT INTO locations (country_code, party_id, id, id_key, publish, data, last_updated, row_version)
   SELECT '${COUNTRY_CODE}', '${PARTY_ID}', v.id, upper(v.id), v.publish,
     jsonb_build_object(
       'id', v.id, 'publish', v.publish, 'name', 'Station ' || v.id,
       'address', 'Stationsplein ' || (i % 500 + 1), 'city', 'Utrecht', 'postal_code', '3511 ED', 'country', 'NLD',
       'coordinates', jsonb_build_object('latitude', '52.' || lpad((i % 1000000)::text, 6, '0'),
                                         'longitude', '5.' || lpad(((i * 7919) % 1000000)::text, 6, '0')),
       'parking_type', 'ON_STREET', 'time_zone', 'Europe/Amsterdam', 'opening_times', jsonb_build_object('twentyfourseven', true),
       'country_code', '${COUNTRY_CODE}', 'party_id', '${PARTY_ID}'),
     timestamptz '2025-01-01T00:00:00Z' + i * interval '1 second', 1
   FROM generate_series(1, $1::int) AS i
   CROSS JOIN LATERAL (SELECT 'BENCH-' || lpad(i::text, 7, '0') AS id, i % 2 = 0 AS publish) v
   ORDER BY i`,
  `INSERT INTO evses (location_pk, uid, uid_key, status, data, last_updated, row_version)
   SELECT l.pk, v.uid, upper(v.uid), 'AVAILABLE',
     jsonb_build_object('uid', v.uid, 'evse_id', 'NL*CPO*E' || replace(v.uid, '-', ''), 'status', 'AVAILABLE',
                        'capabilities', '["RFID_READER", "REMOTE_START_STOP_CAPABLE"]'::jsonb),
     l.last_updated - (3 - e) * interval '100 milliseconds', 1
   FROM locations l CROSS JOIN generate_series(1, 2) AS e
   CROSS JOIN LATERAL (SELECT l.id || '-E' || e AS uid) v
   ORDER BY l.pk, e`,
  `INSERT INTO connectors (evse_pk, id, id_key, data, last_updated, row_version)
   SELECT e.pk, c::text, c::text,
     CASE c WHEN 1 THEN jsonb_build_object('id', '1', 'standard', 'IEC_62196_T2', 'format', 'SOCKET', 'power_type', 'AC_3_PHASE',
                                           'max_voltage', 230, 'max_amperage', 32)
            ELSE jsonb_build_object('id', '2', 'standard', 'IEC_62196_T2_COMBO', 'format', 'CABLE', 'power_type', 'DC',
                                    'max_voltage', 920, 'max_amperage', 200, 'max_electric_power', 150000) END,
     e.last_updated - (3 - c) * interval '10 milliseconds', 1
   FROM evses e CROSS JOIN generate_series(1, 2) AS c
   ORDER BY e.pk, c`,
];

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

/** Seeds the locations and a registered eMSP partner with an active token (stored as the node stores it: sha256 hex). */
export async function seed(url: string, n: number): Promise<PartnerCredentials> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(SEED_SQL[0]!, [n]);
    await client.query(SEED_SQL[1]!);
    await client.query(SEED_SQL[2]!);
    const partnerId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    await client.query(
      `INSERT INTO partners (id, status, versions_url, ocpi_version, roles, registered_at)
       VALUES ($1, 'REGISTERED', 'http://127.0.0.1:9/versions', '2.2.1',
               '[{"role": "EMSP", "party_id": "EMS", "country_code": "NL", "business_details": {"name": "Bench eMSP"}}]', now())`,
      [partnerId],
    );
    await client.query(
      `INSERT INTO access_tokens (id, token_hash, role, status, label, partner_id) VALUES ($1, $2, 'EMSP', 'ACTIVE', 'bench', $3)`,
      [randomUUID(), createHash('sha256').update(secret, 'utf8').digest('hex'), partnerId],
    );
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE locations');
    await client.query('VACUUM ANALYZE evses');
    await client.query('VACUUM ANALYZE connectors');
    const { rows } = await client.query<{ l: string; e: string; c: string }>(
      'SELECT (SELECT count(*) FROM locations) l, (SELECT count(*) FROM evses) e, (SELECT count(*) FROM connectors) c',
    );
    const counts = rows[0]!;
    if (Number(counts.l) !== n || Number(counts.e) !== 2 * n || Number(counts.c) !== 4 * n) {
      throw new Error(`seeding produced ${counts.l} locations, ${counts.e} EVSEs, ${counts.c} connectors for N=${n}`);
    }
    return { secret, authorization: `Token ${Buffer.from(secret, 'utf8').toString('base64')}` };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** pk of the row at `position` (0-based) in pk order: the keyset position of a cursor reaching `position + 1`. */
export async function pkAt(url: string, position: number): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // Aliased: `ORDER BY pk` would otherwise sort by the text output column.
    const { rows } = await client.query<{ key: string }>('SELECT pk::text AS key FROM locations ORDER BY pk OFFSET $1 LIMIT 1', [position]);
    if (!rows[0]) throw new Error(`no location at position ${position}`);
    return rows[0].key;
  } finally {
    await client.end();
  }
}
