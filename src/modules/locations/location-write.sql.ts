import { Prisma } from '../../generated/prisma/client';
import { TREE_JSON } from './location-read.sql';
import { idKey, inStorageOrder, type LocationNode, type TreeChanges } from './location-tree';

const json = (value: unknown) => JSON.stringify(value);

/**
 * A change that only rewrites existing rows, as one statement: the root row's compare-and-set on its
 * version gates every other write in it, including `also` (given the condition to put in its WHERE),
 * so it applies whole or not at all. Selects `applied`: 1, or 0 when the version had moved on.
 */
export function updateInPlaceSql(stored: LocationNode, changes: TreeChanges, also?: (applied: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  const result = changes.result;
  const applied = Prisma.sql`EXISTS (SELECT 1 FROM root)`;
  const parts = [
    Prisma.sql`root AS (
      UPDATE locations SET publish = ${result.publish}, data = ${json(result.data)}::jsonb,
        last_updated = ${result.lastUpdated}::timestamptz, row_version = ${result.version}
      WHERE pk = ${stored.pk} AND row_version = ${stored.version} RETURNING pk)`,
    ...changes.evses.map(
      ({ node }, i) => Prisma.sql`${Prisma.raw(`evse_${i}`)} AS (
      UPDATE evses SET status = ${node.status}, data = ${json(node.data)}::jsonb,
        last_updated = ${node.lastUpdated}::timestamptz, row_version = ${node.version}
      WHERE pk = ${node.pk} AND ${applied})`,
    ),
    ...changes.connectors.map(
      ({ node }, i) => Prisma.sql`${Prisma.raw(`connector_${i}`)} AS (
      UPDATE connectors SET data = ${json(node.data)}::jsonb, last_updated = ${node.lastUpdated}::timestamptz, row_version = ${node.version}
      WHERE pk = ${node.pk} AND ${applied})`,
    ),
  ];
  if (also) parts.push(Prisma.sql`also AS (${also(applied)})`);
  return Prisma.sql`WITH ${Prisma.join(parts, ',\n')} SELECT count(*)::int AS applied FROM root`;
}

/** True when `changes` only rewrite rows that exist: no creation, insertion or deletion. */
export function onlyUpdates(changes: TreeChanges): boolean {
  return (
    changes.location === 'update' &&
    changes.deletedConnectorPks.length === 0 &&
    changes.evses.every((c) => c.action === 'update') &&
    changes.connectors.every((c) => c.action === 'update')
  );
}

/**
 * The keys a creation's rows were given, by id key (connectors: by EVSE pk and id key); `pk` null when
 * the id was taken, and then `existing` holds the stored tree (TREE_JSON), if it was committed before the statement began.
 */
export interface InsertedKeys {
  pk: string | null;
  existing: string | null;
  evses: { pk: string; key: string }[] | null;
  connectors: { pk: string; evse_pk: string; key: string }[] | null;
}

/**
 * A new location with its EVSEs and connectors, as one statement. The location is inserted only if
 * its id is free (otherwise nothing is written, and the stored tree comes back instead, so a PUT of an
 * existing location costs no extra round trip); `also` (given the condition "inserted") rides along,
 * e.g. the outbox enqueue. A uid taken by another location fails the statement.
 */
export function insertTreeSql(tree: LocationNode, also?: (inserted: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  const evses = tree.evses.map((evse, n) => ({
    n, uid: evse.uid, key: idKey(evse.uid), status: evse.status, data: evse.data, last_updated: evse.lastUpdated.toISOString(), row_version: evse.version,
  }));
  const connectors = tree.evses.flatMap((evse) =>
    evse.connectors.map((connector) => ({
      evse_key: idKey(evse.uid), id: connector.id, key: idKey(connector.id), data: connector.data,
      last_updated: connector.lastUpdated.toISOString(), row_version: connector.version,
    })),
  ).map((connector, n) => ({ n, ...connector }));
  const parts = [
    Prisma.sql`loc AS (
      INSERT INTO locations (country_code, party_id, id, id_key, publish, data, last_updated, row_version)
      VALUES (${tree.countryCode}, ${tree.partyId}, ${tree.id}, ${idKey(tree.id)}, ${tree.publish}, ${json(tree.data)}::jsonb,
        ${tree.lastUpdated}::timestamptz, ${tree.version})
      ON CONFLICT (country_code, party_id, id_key) DO NOTHING RETURNING pk)`,
    Prisma.sql`ev AS (
      INSERT INTO evses (location_pk, uid, uid_key, status, data, last_updated, row_version)
      SELECT loc.pk, e.uid, e.key, e.status, e.data, e.last_updated, e.row_version
      FROM loc CROSS JOIN jsonb_to_recordset(${json(evses)}::jsonb)
        AS e(n int, uid text, key text, status text, data jsonb, last_updated timestamptz, row_version int)
      ORDER BY e.n RETURNING pk, uid_key)`,
    Prisma.sql`co AS (
      INSERT INTO connectors (evse_pk, id, id_key, data, last_updated, row_version)
      SELECT ev.pk, c.id, c.key, c.data, c.last_updated, c.row_version
      FROM jsonb_to_recordset(${json(connectors)}::jsonb)
        AS c(n int, evse_key text, id text, key text, data jsonb, last_updated timestamptz, row_version int)
      JOIN ev ON ev.uid_key = c.evse_key
      ORDER BY c.n RETURNING pk, evse_pk, id_key)`,
  ];
  if (also) parts.push(Prisma.sql`also AS (${also(Prisma.sql`EXISTS (SELECT 1 FROM loc)`)})`);
  return Prisma.sql`WITH ${Prisma.join(parts, ',\n')}
    SELECT (SELECT pk::text FROM loc) AS pk,
      CASE WHEN NOT EXISTS (SELECT 1 FROM loc) THEN (SELECT ${TREE_JSON} FROM locations l
        WHERE l.country_code = ${tree.countryCode} AND l.party_id = ${tree.partyId} AND l.id_key = ${idKey(tree.id)}) END AS existing,
      (SELECT json_agg(json_build_object('pk', pk::text, 'key', uid_key)) FROM ev) AS evses,
      (SELECT json_agg(json_build_object('pk', pk::text, 'evse_pk', evse_pk::text, 'key', id_key)) FROM co) AS connectors`;
}

/** The created tree with the keys its rows were given, children in key order (as a read returns them). */
export function withInsertedKeys(tree: LocationNode, keys: InsertedKeys): LocationNode {
  const evsePks = new Map((keys.evses ?? []).map((row) => [row.key, BigInt(row.pk)]));
  const connectorPks = new Map((keys.connectors ?? []).map((row) => [`${row.evse_pk}/${row.key}`, BigInt(row.pk)]));
  const evses = tree.evses.map((evse) => {
    const pk = evsePks.get(idKey(evse.uid))!;
    return { ...evse, pk, connectors: evse.connectors.map((c) => ({ ...c, pk: connectorPks.get(`${pk}/${idKey(c.id)}`)! })) };
  });
  return inStorageOrder({ ...tree, pk: BigInt(keys.pk!), evses });
}
