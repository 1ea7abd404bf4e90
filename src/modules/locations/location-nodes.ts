import type { ConnectorNode, EvseNode, LocationNode, OcpiFields } from './location-tree';
import { idKey } from './location-tree';

/** Placeholders for rows not written yet: diffTree gives changed rows their real version and time. */
const UNSTORED = { lastUpdated: new Date(0), version: 0 };

type WithLastUpdated = { last_updated?: string };

export function connectorNodeFrom(input: { id: string } & WithLastUpdated & OcpiFields): ConnectorNode {
  const { last_updated, ...data } = input;
  return { id: input.id, data, ...UNSTORED };
}

export function evseNodeFrom(input: { uid: string; status: string; connectors: ({ id: string } & OcpiFields)[] } & WithLastUpdated & OcpiFields): EvseNode {
  const { last_updated, connectors, ...data } = input;
  return { uid: input.uid, status: input.status, data, connectors: connectors.map(connectorNodeFrom), ...UNSTORED };
}

export function removedEvse(evse: EvseNode): EvseNode {
  return evse.status === 'REMOVED' ? evse : { ...evse, status: 'REMOVED', data: { ...evse.data, status: 'REMOVED' } };
}

/** The location with one EVSE put in place of the stored one with the same uid (or added). */
export function withEvse(location: LocationNode, evse: EvseNode): LocationNode {
  const others = location.evses.filter((e) => idKey(e.uid) !== idKey(evse.uid));
  return { ...location, evses: [...others, evse] };
}

export function withConnector(evse: EvseNode, connector: ConnectorNode): EvseNode {
  const others = evse.connectors.filter((c) => idKey(c.id) !== idKey(connector.id));
  return { ...evse, connectors: [...others, connector] };
}

export function findEvse(location: LocationNode | undefined, uid: string): EvseNode | undefined {
  return location?.evses.find((e) => idKey(e.uid) === idKey(uid));
}

export function findConnector(evse: EvseNode | undefined, id: string): ConnectorNode | undefined {
  return evse?.connectors.find((c) => idKey(c.id) === idKey(id));
}
