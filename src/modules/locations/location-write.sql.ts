import { Prisma } from '../../generated/prisma/client';
import type { LocationNode, TreeChanges } from './location-tree';

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
