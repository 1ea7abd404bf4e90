import type { ConnectorNode, EvseNode, LocationNode, OcpiFields } from './location-tree';

interface ConnectorRow {
  pk: bigint;
  id: string;
  data: unknown;
  lastUpdated: Date;
  rowVersion: number;
}
interface EvseRow {
  pk: bigint;
  uid: string;
  status: string;
  data: unknown;
  lastUpdated: Date;
  rowVersion: number;
  connectors: ConnectorRow[];
}
export interface LocationRow {
  pk: bigint;
  countryCode: string;
  partyId: string;
  id: string;
  publish: boolean;
  data: unknown;
  lastUpdated: Date;
  rowVersion: number;
  evses: EvseRow[];
}

export function toConnectorNode(row: ConnectorRow): ConnectorNode {
  return { pk: row.pk, id: row.id, data: row.data as OcpiFields, lastUpdated: row.lastUpdated, version: row.rowVersion };
}

export function toEvseNode(row: EvseRow): EvseNode {
  return {
    pk: row.pk,
    uid: row.uid,
    status: row.status,
    data: row.data as OcpiFields,
    lastUpdated: row.lastUpdated,
    version: row.rowVersion,
    connectors: row.connectors.map(toConnectorNode),
  };
}

export function toLocationNode(row: LocationRow): LocationNode {
  return {
    pk: row.pk,
    countryCode: row.countryCode,
    partyId: row.partyId,
    id: row.id,
    publish: row.publish,
    data: row.data as OcpiFields,
    lastUpdated: row.lastUpdated,
    version: row.rowVersion,
    evses: row.evses.map(toEvseNode),
  };
}

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
