import type { ConnectorNode, EvseNode, LocationNode } from '../locations/location-tree';
import { connectorOf, evseOf, type SessionPlace, type SessionPlaces } from './session-places';
import { NOT_ASSIGNED } from './sessions.schema';

type Fields = Record<string, unknown>;

/**
 * What a session's CDR must show as it was when the session started (digest §3.3: "sealed"): the
 * CdrLocation of its EVSE and connector, and the tariffs its connector named then, as they were then.
 * Taken when a session first names an assigned EVSE and connector, and again only if it moves to another.
 */
export interface SessionSeal {
  cdr_location: Fields;
  /** The location's IANA time zone: tariff restrictions are local times (CdrLocation has no field for it). */
  time_zone: string;
  tariffs: Fields[];
}

/** CdrLocation keeps the 2.2.1 lengths (address 45, state 20) although Location now allows more (digest pitfall 18). */
const cut = (value: unknown, length: number) => (typeof value === 'string' ? value.slice(0, length) : undefined);

export function cdrLocationOf(location: LocationNode, evse: EvseNode, connector: ConnectorNode): Fields {
  const fields: Fields = {
    id: location.id,
    name: cut(location.data.name, 255),
    address: cut(location.data.address, 45),
    city: cut(location.data.city, 45),
    postal_code: location.data.postal_code,
    state: cut(location.data.state, 20),
    country: location.data.country,
    coordinates: location.data.coordinates,
    evse_uid: evse.uid,
    // Required in a CdrLocation, optional on an EVSE: without one, the EVSE is named by its uid.
    evse_id: (evse.data.evse_id as string | undefined) ?? evse.uid,
    connector_id: connector.id,
    connector_standard: connector.data.standard,
    connector_format: connector.data.format,
    connector_power_type: connector.data.power_type,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The seal of `place` now; undefined while the session names no EVSE and connector yet (`#NA`), or they are gone. */
export async function sealOf(places: SessionPlaces, place: SessionPlace): Promise<SessionSeal | undefined> {
  if (place.evse_uid === NOT_ASSIGNED || place.connector_id === NOT_ASSIGNED) return undefined;
  const location = await places.location(place.location_id);
  const evse = evseOf(location, place.evse_uid);
  const connector = connectorOf(evse, place.connector_id);
  if (!location || !evse || !connector) return undefined;
  const ids = (connector.data.tariff_ids as string[] | undefined) ?? [];
  const tariffs = (await Promise.all(ids.map((id) => places.tariff(id)))).filter((tariff): tariff is Fields => tariff !== undefined);
  return { cdr_location: cdrLocationOf(location, evse, connector), time_zone: location.data.time_zone as string, tariffs };
}
