import { Client } from 'pg';
import { readMigrations } from '../../../src/platform/migrator';
import { externalDatabaseUrl, pgClientPerSuite } from '../../helpers/test-database';

/**
 * Migration 20261129040000_tariffs: connector_tariffs, kept by a trigger on connectors, with a foreign
 * key to tariffs. Whatever writes a connector (the single-statement writes, the locking transaction,
 * or SQL by hand), it cannot name a missing tariff, and a named tariff cannot be deleted, even when
 * the two writes race. The service-level checks give the friendly answers; this is what holds.
 */
const MIGRATION = '20261129040000_tariffs';

const suite = pgClientPerSuite();

const errorCode = async (work: Promise<unknown>): Promise<string | undefined> =>
  work.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );

/** Runs `work` inside a scratch schema holding the migrations up to (excluding) `upTo`, rolled back afterwards. */
async function inScratchSchema(upTo: number, work: () => Promise<void>): Promise<void> {
  await suite.pg.query('BEGIN');
  try {
    await suite.pg.query('CREATE SCHEMA tariffs_guard_check');
    await suite.pg.query('SET LOCAL search_path TO tariffs_guard_check');
    for (const migration of readMigrations().slice(0, upTo)) await suite.pg.query(migration.sql);
    await work();
  } finally {
    await suite.pg.query('ROLLBACK');
  }
}

async function insertConnector(pg: Client, tariffIds: unknown): Promise<void> {
  await pg.query(`INSERT INTO connectors (evse_pk, id, id_key, data, last_updated)
    SELECT e.pk, 'C' || (SELECT count(*) FROM connectors), 'C' || (SELECT count(*) FROM connectors), $1::jsonb, now() FROM evses e LIMIT 1`,
  [JSON.stringify({ standard: 'IEC_62196_T2', tariff_ids: tariffIds })]);
}

const seedLocation = `
  INSERT INTO locations (country_code, party_id, id, id_key, publish, data, last_updated) VALUES ('NL', 'CPO', 'L1', 'L1', true, '{}', now());
  INSERT INTO evses (location_pk, uid, uid_key, status, data, last_updated) SELECT pk, 'E1', 'E1', 'AVAILABLE', '{}', now() FROM locations;`;

const insertTariff = (id: string) =>
  suite.pg.query(`INSERT INTO tariffs (country_code, party_id, id, id_key, data, last_updated) VALUES ('NL', 'CPO', $1, $2, '{}', now())`, [id, id.toUpperCase()]);

describe(`migration ${MIGRATION}`, () => {
  const index = () => readMigrations().findIndex((m) => m.name === MIGRATION);

  it('when connectors named tariffs before it, then it applies and leaves them as they were', async () => {
    await inScratchSchema(index(), async () => {
      await suite.pg.query(seedLocation);
      await insertConnector(suite.pg, ['OLD-TARIFF']);
      await suite.pg.query(readMigrations()[index()]!.sql);
      expect((await suite.pg.query('SELECT count(*)::int AS n FROM connector_tariffs')).rows[0].n).toBe(0);
      expect((await suite.pg.query(`SELECT data->'tariff_ids' AS ids FROM connectors`)).rows[0].ids).toEqual(['OLD-TARIFF']);
    });
  });

  it('when a connector is written by hand, then it may only name stored tariffs, case-insensitively, and its references follow its tariff_ids', async () => {
    await inScratchSchema(index() + 1, async () => {
      await suite.pg.query(seedLocation);
      await suite.pg.query('SAVEPOINT before');
      expect(await errorCode(insertConnector(suite.pg, ['T1']))).toBe('23503');
      await suite.pg.query('ROLLBACK TO SAVEPOINT before');
      await insertTariff('T1');
      await insertTariff('T2');
      await insertConnector(suite.pg, ['t1', 'T1', 'T2']);
      const references = async () => (await suite.pg.query('SELECT tariff_key FROM connector_tariffs ORDER BY 1')).rows.map((r) => r.tariff_key);
      expect(await references()).toEqual(['T1', 'T2']);
      await suite.pg.query(`UPDATE connectors SET data = jsonb_set(data, '{tariff_ids}', '["T2"]')`);
      expect(await references()).toEqual(['T2']);
      await suite.pg.query('SAVEPOINT named');
      expect(await errorCode(suite.pg.query(`DELETE FROM tariffs WHERE id_key = 'T2'`))).toBe('23503');
      await suite.pg.query('ROLLBACK TO SAVEPOINT named');
      await suite.pg.query(`DELETE FROM tariffs WHERE id_key = 'T1'`);
      await suite.pg.query('DELETE FROM connectors');
      expect(await references()).toEqual([]);
      await suite.pg.query(`DELETE FROM tariffs WHERE id_key = 'T2'`);
    });
  });
});

// Two connections with open transactions at once: PostgreSQL only (the embedded database serves one transaction at a time).
(externalDatabaseUrl() ? describe : describe.skip)('a connector write and a tariff delete that race', () => {
  it('when the connector naming the tariff commits first, then the delete that waited for it fails; nothing dangles', async () => {
    await suite.pg.query('DELETE FROM locations; DELETE FROM tariffs');
    await suite.pg.query(seedLocation);
    await insertTariff('RACE');
    const other = new Client({ connectionString: suite.db.url });
    await other.connect();
    try {
      await suite.pg.query('BEGIN');
      await insertConnector(suite.pg, ['RACE']);
      const deleting = errorCode(other.query(`DELETE FROM tariffs WHERE id_key = 'RACE'`));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await suite.pg.query('COMMIT');
      expect(await deleting).toBe('23503');
      expect((await suite.pg.query(`SELECT count(*)::int AS n FROM tariffs WHERE id_key = 'RACE'`)).rows[0].n).toBe(1);
    } finally {
      await other.end();
      await suite.pg.query('DELETE FROM locations; DELETE FROM tariffs');
    }
  });

  it('when the delete commits first, then the connector naming the tariff fails', async () => {
    await suite.pg.query('DELETE FROM locations; DELETE FROM tariffs');
    await suite.pg.query(seedLocation);
    await insertTariff('RACE');
    const other = new Client({ connectionString: suite.db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`DELETE FROM tariffs WHERE id_key = 'RACE'`);
      const writing = errorCode(insertConnector(suite.pg, ['RACE']));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.query('COMMIT');
      expect(await writing).toBe('23503');
      expect((await suite.pg.query('SELECT count(*)::int AS n FROM connector_tariffs')).rows[0].n).toBe(0);
    } finally {
      await other.end();
      await suite.pg.query('DELETE FROM locations; DELETE FROM tariffs');
    }
  });
});
