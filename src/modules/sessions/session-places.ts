import { OcpiError } from '../../ocpi/ocpi-error';
import { idKey, type ConnectorNode, type EvseNode, type LocationNode } from '../locations/location-tree';
import { NOT_ASSIGNED } from './sessions.schema';

/** Where a session takes place, as the session names it. */
export interface SessionPlace {
  location_id: string;
  evse_uid: string;
  connector_id: string;
}

/** Reads the session's surroundings: our locations, and the tariffs (OCPI objects) a connector names. */
export interface SessionPlaces {
  location(id: string): Promise<LocationNode | undefined>;
  tariff(id: string): Promise<Record<string, unknown> | undefined>;
}

export const placeKey = (p: SessionPlace): string => [p.location_id, p.evse_uid, p.connector_id].map(idKey).join('\n');

export function evseOf(location: LocationNode | undefined, uid: string): EvseNode | undefined {
  return location?.evses.find((e) => idKey(e.uid) === idKey(uid));
}

export function connectorOf(evse: EvseNode | undefined, id: string): ConnectorNode | undefined {
  return evse?.connectors.find((c) => idKey(c.id) === idKey(id));
}

/** 400 / 2001 naming the field unless the location, EVSE and connector exist (`#NA`: not assigned yet). */
export async function checkPlaceExists(places: SessionPlaces, place: SessionPlace): Promise<void> {
  const location = await places.location(place.location_id);
  if (!location) throw OcpiError.badRequest(`Invalid body: /location_id ${place.location_id} names no location`);
  if (place.evse_uid === NOT_ASSIGNED) return;
  const evse = evseOf(location, place.evse_uid);
  if (!evse) throw OcpiError.badRequest(`Invalid body: /evse_uid ${place.evse_uid} names no EVSE of location ${place.location_id}`);
  if (place.connector_id === NOT_ASSIGNED) return;
  if (!connectorOf(evse, place.connector_id)) {
    throw OcpiError.badRequest(`Invalid body: /connector_id ${place.connector_id} names no connector of EVSE ${place.evse_uid}`);
  }
}
