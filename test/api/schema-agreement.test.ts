import * as Enums from '../../src/generated/prisma/enums';
import { applyMigrations, readMigrations } from '../../src/platform/migrator';
import { pgClientPerSuite } from '../helpers/test-database';

/**
 * schema.prisma and the hand-written SQL migrations must describe the same database: every model's
 * table and columns, every enum and its values. The data model is read from the generated client.
 */
interface RuntimeField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  dbName?: string | null;
}
interface RuntimeModel {
  dbName: string | null;
  fields: RuntimeField[];
}

const PG_TYPES: Record<string, string[]> = {
  String: ['character varying', 'text', 'character', 'uuid'],
  Int: ['integer'],
  BigInt: ['bigint'],
  Boolean: ['boolean'],
  DateTime: ['timestamp with time zone', 'timestamp without time zone'],
  Json: ['jsonb', 'json'],
  Decimal: ['numeric'],
  Float: ['double precision'],
};

const suite = pgClientPerSuite();

/** The data model the generated client was built from (schema.prisma), as the client itself holds it. */
function runtimeModels(): Record<string, RuntimeModel> {
  return (suite.db.prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel.models;
}

describe('schema.prisma and prisma/migrations agree', () => {
  it('when migrations are applied again, then nothing is pending and each is recorded with its checksum', async () => {
    expect(await applyMigrations(suite.db.url)).toEqual([]);
    const { rows } = await suite.pg.query('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(readMigrations().map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('when the generated client’s data model is compared with the database, then every table, column and type matches', async () => {
    const models = runtimeModels();
    expect(Object.keys(models).length).toBeGreaterThan(0);
    const { rows: columns } = await suite.pg.query<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
      "SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    const tables = new Set(columns.map((c) => c.table_name));
    const modelTables = Object.entries(models).map(([name, model]) => model.dbName ?? name);
    expect([...tables].sort()).toEqual([...modelTables].sort());
    for (const [name, model] of Object.entries(models)) {
      const table = model.dbName ?? name;
      const dbColumns = columns.filter((c) => c.table_name === table);
      const scalar = model.fields.filter((f) => f.kind !== 'object');
      expect({ table, columns: dbColumns.map((c) => c.column_name).sort() }).toEqual({
        table,
        columns: scalar.map((f) => f.dbName ?? f.name).sort(),
      });
      for (const field of scalar) {
        const column = dbColumns.find((c) => c.column_name === (field.dbName ?? field.name))!;
        if (field.kind === 'enum') expect({ field: field.name, type: column.udt_name }).toEqual({ field: field.name, type: field.type });
        else expect(PG_TYPES[field.type]).toContain(column.data_type);
      }
    }
  });

  it('when the client’s enums are compared with the database enums, then every value matches', async () => {
    const { rows } = await suite.pg.query<{ typname: string; labels: string[] }>(
      'SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname',
    );
    const clientEnums = Object.entries(Enums).filter(([, v]) => typeof v === 'object') as [string, Record<string, string>][];
    expect(rows.map((r) => r.typname).sort()).toEqual(clientEnums.map(([name]) => name).sort());
    for (const [name, values] of clientEnums) {
      expect({ name, values: rows.find((r) => r.typname === name)!.labels }).toEqual({ name, values: Object.values(values) });
    }
  });
});
