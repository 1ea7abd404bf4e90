import type { ConnectorNode, EvseNode, LocationNode, OcpiFields } from './location-tree';

/** Node -> OCPI object as served: the stored fields, the children, and `last_updated`. */
export function connectorObject(node: ConnectorNode): OcpiFields {
  return { ...node.data, last_updated: node.lastUpdated.toISOString() };
}

export function evseObject(node: EvseNode): OcpiFields {
  return { ...node.data, connectors: node.connectors.map(connectorObject), last_updated: node.lastUpdated.toISOString() };
}

export function locationObject(node: LocationNode): OcpiFields {
  return { ...node.data, evses: node.evses.map(evseObject), last_updated: node.lastUpdated.toISOString() };
}
