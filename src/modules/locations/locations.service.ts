import { OcpiError } from '../../ocpi/ocpi-error';
import type { Page, PageRequest } from '../../ocpi/pagination';
import { OcpiStatus } from '../../ocpi/status-codes';
import { isPossibleId } from '../../ocpi/types';
import { idKey, type ConnectorNode, type EvseNode, type LocationNode } from './location-tree';
import type { LocationJson, LocationsRepository } from './locations.repository';

export interface OurIdentity {
  countryCode: string;
  partyId: string;
}

/** Partners see every location; anonymous open-data callers only published ones. */
export interface Audience {
  publishedOnly: boolean;
}

export function unknownLocation(what: string): OcpiError {
  return OcpiError.notFound(`Unknown ${what}`, OcpiStatus.UNKNOWN_LOCATION);
}

/** Read side of locations, shared by the OCPI sender interface and the admin API. */
export function createLocationsService(repository: LocationsRepository, us: OurIdentity) {
  async function location(id: string, audience: Audience): Promise<LocationNode> {
    const node = isPossibleId(id) ? await repository.findTree(us.countryCode, us.partyId, id) : undefined;
    if (!node || (audience.publishedOnly && !node.publish)) throw unknownLocation(`location ${id}`);
    return node;
  }

  async function evse(locationId: string, uid: string, audience: Audience): Promise<{ location: LocationNode; evse: EvseNode }> {
    const parent = await location(locationId, audience);
    const found = parent.evses.find((e) => idKey(e.uid) === idKey(uid));
    if (!found) throw unknownLocation(`EVSE ${uid} at location ${locationId}`);
    return { location: parent, evse: found };
  }

  async function connector(locationId: string, uid: string, connectorId: string, audience: Audience): Promise<ConnectorNode> {
    const parent = await evse(locationId, uid, audience);
    const found = parent.evse.connectors.find((c) => idKey(c.id) === idKey(connectorId));
    if (!found) throw unknownLocation(`connector ${connectorId} of EVSE ${uid}`);
    return found;
  }

  return {
    location,
    evse,
    connector,
    /** The served location as JSON text (the sender's hot path). */
    async locationJson(id: string, audience: Audience): Promise<LocationJson> {
      const found = isPossibleId(id) ? await repository.findJson(us.countryCode, us.partyId, id) : undefined;
      if (!found || (audience.publishedOnly && !found.publish)) throw unknownLocation(`location ${id}`);
      return found;
    },
    /** The open-data feed reads published locations in keyset pages, and validates its copy by their stamp. */
    publishedPage: repository.publishedPage,
    publishedStamp: repository.publishedStamp,
    list(audience: Audience, request: PageRequest): Promise<Page<LocationJson>> {
      return repository.list(
        { publishedOnly: audience.publishedOnly, dateFrom: request.dateFrom, dateTo: request.dateTo },
        { offset: request.offset, limit: request.limit, after: request.after },
      );
    },
  };
}

export type LocationsService = ReturnType<typeof createLocationsService>;
