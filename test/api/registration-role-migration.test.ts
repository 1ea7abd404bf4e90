import { readMigrations } from '../../src/platform/migrator';
import { pgClientPerSuite } from '../helpers/test-database';

/**
 * 20261129000000_registration_role on data written before it: the migrations run in a scratch schema
 * inside a transaction that is rolled back, so the suite's database is left as it was.
 */
const MIGRATION = '20261129000000_registration_role';

const suite = pgClientPerSuite();

describe(`migration ${MIGRATION}`, () => {
  it('when tokens were stored as REGISTRATION, then they become EMSP, other roles are kept, and TokenRole has no REGISTRATION', async () => {
    const migrations = readMigrations();
    const index = migrations.findIndex((m) => m.name === MIGRATION);
    expect(index).toBeGreaterThan(0);
    await suite.pg.query('BEGIN');
    try {
      await suite.pg.query('CREATE SCHEMA registration_role_check');
      await suite.pg.query('SET LOCAL search_path TO registration_role_check');
      for (const migration of migrations.slice(0, index)) await suite.pg.query(migration.sql);
      await suite.pg.query(`INSERT INTO partners (id, status) VALUES ('00000000-0000-4000-8000-000000000001', 'PENDING')`);
      await suite.pg.query(`INSERT INTO access_tokens (id, token_hash, role, status, partner_id) VALUES
        ('00000000-0000-4000-8000-00000000000a', repeat('a', 64), 'REGISTRATION', 'ACTIVE', '00000000-0000-4000-8000-000000000001'),
        ('00000000-0000-4000-8000-00000000000b', repeat('b', 64), 'REGISTRATION', 'REVOKED', '00000000-0000-4000-8000-000000000001'),
        ('00000000-0000-4000-8000-00000000000c', repeat('c', 64), 'NSP', 'ACTIVE', NULL),
        ('00000000-0000-4000-8000-00000000000d', repeat('d', 64), 'ADMIN', 'ACTIVE', NULL)`);

      await suite.pg.query(migrations[index]!.sql);

      const tokens = await suite.pg.query<{ token_hash: string; role: string }>('SELECT left(token_hash, 1) AS token_hash, role::text FROM access_tokens ORDER BY token_hash');
      expect(tokens.rows).toEqual([
        { token_hash: 'a', role: 'EMSP' },
        { token_hash: 'b', role: 'EMSP' },
        { token_hash: 'c', role: 'NSP' },
        { token_hash: 'd', role: 'ADMIN' },
      ]);
      const values = await suite.pg.query<{ value: string }>(`SELECT unnest(enum_range(NULL::"TokenRole"))::text AS value`);
      expect(values.rows.map((r) => r.value)).toEqual(['ADMIN', 'CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP']);
    } finally {
      await suite.pg.query('ROLLBACK');
    }
  });
});
