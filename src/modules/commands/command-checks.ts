import type { ConnectorNode, EvseNode, LocationNode } from '../locations/location-tree';
import { connectorOf, evseOf } from '../sessions/session-places';
import type { TokenParty } from '../sessions/sessions.repository';
import type { CommandResponseType } from './commands.schema';

/** Why a command is not forwarded: the CommandResponse, and whether it is the 2003 "unknown location" answer. */
export interface Refusal {
  refused: Exclude<CommandResponseType, 'ACCEPTED'>;
  message: string;
  unknownLocation?: boolean;
}

export const refuse = (refused: Refusal['refused'], message: string): Refusal => ({ refused, message });
export const isRefusal = (value: unknown): value is Refusal => typeof value === 'object' && value !== null && 'refused' in value;

/** A command's place, resolved to our objects (ids as we store them). */
export interface Place {
  location: LocationNode;
  evse?: EvseNode;
  connector?: ConnectorNode;
}

const unknown = (message: string): Refusal => ({ refused: 'REJECTED', message, unknownLocation: true });

/** The location, EVSE and connector a command names; an unknown one (or a REMOVED EVSE) is the 2003 refusal. */
export function resolvePlace(location: LocationNode | undefined, locationId: string, evseUid?: string, connectorId?: string): Place | Refusal {
  if (!location) return unknown(`Unknown location ${locationId}`);
  if (evseUid === undefined) return { location };
  const evse = evseOf(location, evseUid);
  if (!evse || evse.status === 'REMOVED') return unknown(`Unknown EVSE ${evseUid} of location ${locationId}`);
  if (connectorId === undefined) return { location, evse };
  const connector = connectorOf(evse, connectorId);
  if (!connector) return unknown(`Unknown connector ${connectorId} of EVSE ${evseUid}`);
  return { location, evse, connector };
}

const capabilitiesOf = (evse: EvseNode) => (evse.data.capabilities as string[] | undefined) ?? [];

/** NOT_SUPPORTED unless the EVSE (none named: any EVSE of the location in use) has `capability`. */
export function needCapability(place: Place, capability: string): Refusal | undefined {
  const evses = place.evse ? [place.evse] : place.location.evses.filter((e) => e.status !== 'REMOVED');
  if (evses.some((e) => capabilitiesOf(e).includes(capability))) return undefined;
  const where = place.evse ? `EVSE ${place.evse.uid}` : `No EVSE of location ${place.location.id}`;
  return refuse('NOT_SUPPORTED', `${where} ${place.evse ? 'is not' : 'is'} ${capability}`);
}

/** START_SESSION at an EVSE with START_SESSION_CONNECTOR_REQUIRED must name the connector (digest §3.6.3). */
export function needConnector(place: Place): Refusal | undefined {
  if (!place.evse || place.connector || !capabilitiesOf(place.evse).includes('START_SESSION_CONNECTOR_REQUIRED')) return undefined;
  return refuse('REJECTED', `EVSE ${place.evse.uid} needs connector_id (START_SESSION_CONNECTOR_REQUIRED)`);
}

/** eMSPs may only use their own tokens in commands (digest §3.6.5): the token's party must be one of the caller's. */
export function needOwnToken(parties: TokenParty[], token: { country_code: string; party_id: string; uid: string }): Refusal | undefined {
  const cc = token.country_code.toUpperCase();
  const pid = token.party_id.toUpperCase();
  if (parties.some((p) => p.countryCode === cc && p.partyId === pid)) return undefined;
  return refuse('REJECTED', `Token ${token.country_code}/${token.party_id}/${token.uid} is not of one of your parties`);
}

/** The resolved ids, as the CSMS gets them (ours, in the case we store them). */
export function placeFields(place: Place): Record<string, string> {
  const fields: Record<string, string> = { location_id: place.location.id };
  if (place.evse) fields.evse_uid = place.evse.uid;
  if (place.connector) fields.connector_id = place.connector.id;
  return fields;
}
