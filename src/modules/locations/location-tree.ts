import { jsonEqual } from '../../platform/json-equal';

/**
 * A location as stored: rows with their keys, versions and timestamps, and each row's OCPI fields
 * (`data`, without `last_updated` and without the child list). `pk` is absent on rows not stored yet.
 * Children are kept in storage order (OCPI gives their order no meaning).
 */
export type OcpiFields = Record<string, unknown>;

export interface ConnectorNode {
  pk?: bigint;
  id: string;
  data: OcpiFields;
  lastUpdated: Date;
  version: number;
}

export interface EvseNode {
  pk?: bigint;
  uid: string;
  status: string;
  data: OcpiFields;
  lastUpdated: Date;
  version: number;
  connectors: ConnectorNode[];
}

export interface LocationNode {
  pk?: bigint;
  countryCode: string;
  partyId: string;
  id: string;
  publish: boolean;
  data: OcpiFields;
  lastUpdated: Date;
  version: number;
  evses: EvseNode[];
}

/** OCPI ids are case-insensitive: rows are keyed by the upper-cased id. */
export const idKey = (id: string): string => id.toUpperCase();

/** What must be written to turn the stored tree into the desired one; `location: 'none'` when nothing changed. */
export interface TreeChanges {
  location: 'insert' | 'update' | 'none';
  evses: { node: EvseNode; action: 'insert' | 'update' }[];
  connectors: { evseUid: string; node: ConnectorNode; action: 'insert' | 'update' }[];
  deletedConnectorPks: bigint[];
  /** The tree after the change, versions and `last_updated` bumped where something changed. */
  result: LocationNode;
}

function bumped<T extends { version: number; lastUpdated: Date }>(node: T, before: T | undefined, now: Date): T {
  return { ...node, lastUpdated: now, version: (before?.version ?? 0) + 1 };
}

/**
 * Compares the desired tree with the stored one, matching children by id. A row whose fields changed,
 * or that gained, changed or lost a child, gets the next version and `now` as `last_updated`; rows
 * that did not change keep both. The desired tree must still hold every stored EVSE (they are never deleted).
 */
export function diffTree(stored: LocationNode | undefined, desired: LocationNode, now: Date): TreeChanges {
  const changes: TreeChanges = { location: 'none', evses: [], connectors: [], deletedConnectorPks: [], result: desired };
  const storedEvses = new Map((stored?.evses ?? []).map((e) => [idKey(e.uid), e]));

  const evses = desired.evses.map((evse) => {
    const before = storedEvses.get(idKey(evse.uid));
    const storedConnectors = new Map((before?.connectors ?? []).map((c) => [idKey(c.id), c]));
    let connectorsChanged = false;
    const connectors = evse.connectors.map((connector) => {
      const old = storedConnectors.get(idKey(connector.id));
      if (old && jsonEqual(old.data, connector.data)) return old;
      connectorsChanged = true;
      const node = { ...bumped(connector, old, now), pk: old?.pk };
      changes.connectors.push({ evseUid: evse.uid, node, action: old ? 'update' : 'insert' });
      return node;
    });
    const kept = new Set(evse.connectors.map((c) => idKey(c.id)));
    const removed = (before?.connectors ?? []).filter((old) => !kept.has(idKey(old.id)));
    changes.deletedConnectorPks.push(...removed.map((c) => c.pk as bigint));

    if (before && !connectorsChanged && removed.length === 0 && jsonEqual(before.data, evse.data)) return before;
    const node: EvseNode = { ...bumped(evse, before, now), pk: before?.pk, connectors };
    changes.evses.push({ node, action: before ? 'update' : 'insert' });
    return node;
  });

  if (stored && changes.evses.length === 0 && jsonEqual(stored.data, desired.data)) {
    changes.result = stored;
    return changes;
  }
  changes.location = stored ? 'update' : 'insert';
  changes.result = { ...bumped(desired, stored, now), pk: stored?.pk, evses };
  return changes;
}

const byPk = (a: { pk?: bigint }, b: { pk?: bigint }) => (a.pk! < b.pk! ? -1 : a.pk! > b.pk! ? 1 : 0);

/** Children in primary-key order, as a read returns them (every row must have its key). */
export function inStorageOrder(tree: LocationNode): LocationNode {
  return { ...tree, evses: tree.evses.map((evse) => ({ ...evse, connectors: [...evse.connectors].sort(byPk) })).sort(byPk) };
}
