import { Prisma } from '../../generated/prisma/client';
import { iso, type RawQueries } from '../../platform/database';
import { idKey, type ConnectorNode, type EvseNode, type LocationNode } from './location-tree';

/**
 * The stored tree of location row `l` (rows with keys, versions and timestamps) as JSON text, built by
 * PostgreSQL in one statement, so a write plans against one consistent snapshot without Prisma's
 * per-query work. Children in primary-key order.
 */
export const TREE_JSON = Prisma.sql`json_build_object(
    'pk', l.pk::text, 'countryCode', l.country_code, 'partyId', l.party_id, 'id', l.id, 'publish', l.publish,
    'data', l.data, 'lastUpdated', ${iso('l.last_updated')}, 'version', l.row_version,
    'evses', COALESCE((
      SELECT json_agg(json_build_object(
        'pk', e.pk::text, 'uid', e.uid, 'status', e.status, 'data', e.data, 'lastUpdated', ${iso('e.last_updated')}, 'version', e.row_version,
        'connectors', COALESCE((
          SELECT json_agg(json_build_object(
            'pk', c.pk::text, 'id', c.id, 'data', c.data, 'lastUpdated', ${iso('c.last_updated')}, 'version', c.row_version) ORDER BY c.pk)
          FROM connectors c WHERE c.evse_pk = e.pk), '[]'::json)) ORDER BY e.pk)
      FROM evses e WHERE e.location_pk = l.pk), '[]'::json))::text`;

/** One location's tree by its key; `.text` turns the placeholders into `$1`..`$3`, computed once. */
export const TREE_JSON_SQL = Prisma.sql`SELECT ${TREE_JSON} AS tree FROM locations l
  WHERE l.country_code = ${''} AND l.party_id = ${''} AND l.id_key = ${''}`.text;

/** A row as the statement writes it: the key as text, the time as an ISO string. */
type AsJson<T> = Omit<T, 'pk' | 'lastUpdated'> & { pk: string; lastUpdated: string };
type ConnectorJson = AsJson<ConnectorNode>;
type EvseJson = AsJson<Omit<EvseNode, 'connectors'>> & { connectors: ConnectorJson[] };
type TreeJson = AsJson<Omit<LocationNode, 'evses'>> & { evses: EvseJson[] };

const stored = <T extends { pk: string; lastUpdated: string }>(row: T) => ({ ...row, pk: BigInt(row.pk), lastUpdated: new Date(row.lastUpdated) });

/** The text TREE_JSON_SQL selects, as the tree the write planner works on. */
export function parseTree(text: string): LocationNode {
  const tree = JSON.parse(text) as TreeJson;
  return { ...stored(tree), evses: tree.evses.map((evse) => ({ ...stored(evse), connectors: evse.connectors.map(stored) })) };
}

/** The stored tree of one location, read on the pool outside any transaction (undefined: none). */
export async function readTree(raw: RawQueries, countryCode: string, partyId: string, id: string): Promise<LocationNode | undefined> {
  const [row] = await raw.query<{ tree: string }>(TREE_JSON_SQL, [countryCode, partyId, idKey(id)]);
  return row && parseTree(row.tree);
}
