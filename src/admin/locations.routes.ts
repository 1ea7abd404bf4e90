import type { Request } from 'express';
import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { readPreconditions } from '../ocpi/preconditions';
import type { RouteKit } from '../ocpi/route-kit';
import type { LocationAdminService, WriteResult } from '../modules/locations/location-admin.service';
import { findConnector, findEvse } from '../modules/locations/location-nodes';
import { connectorObject, evseObject, locationObject } from '../modules/locations/locations.mapper';
import { ConnectorInput, ConnectorPatch, EvseInput, EvsePatch, LocationInput, LocationPatch } from '../modules/locations/locations.schema';
import type { LocationsService } from '../modules/locations/locations.service';
import { adminListRoute, type AdminListOptions } from './admin-list-route';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

const ALL = { publishedOnly: false };
const LOCATION = '/:locationId';
const EVSE = '/:locationId/evses/:evseUid';
const CONNECTOR = '/:locationId/evses/:evseUid/connectors/:connectorId';

type Target = { version: number; object: Record<string, unknown> };

/** What a write addressed, picked out of the location tree it returns. */
function target(result: WriteResult, req: Request): Target {
  const { evseUid, connectorId } = req.params as Record<string, string | undefined>;
  const evse = evseUid ? findEvse(result.tree, evseUid)! : undefined;
  if (evse && connectorId) {
    const connector = findConnector(evse, connectorId)!;
    return { version: connector.version, object: connectorObject(connector) };
  }
  if (evse) return { version: evse.version, object: evseObject(evse) };
  return { version: result.tree.version, object: locationObject(result.tree) };
}

/**
 * `/admin/locations`: the operator's systems write locations, EVSEs and connectors; GETs answer with
 * ETags. The list is the OCPI sender's list (same pagination and cursors) over every location, published or not.
 */
export function adminLocationsRoutes(writes: LocationAdminService, reads: LocationsService, list: AdminListOptions, kit: RouteKit): AdminRouteGroup {
  const { respond } = kit;
  const written = (req: Request, res: Parameters<RouteKit['respond']>[0], result: WriteResult) => {
    const { version, object } = target(result, req);
    setEtag(res, version);
    respond(res, object, result.created ? 201 : 200);
  };

  return adminRouteGroup('/locations', 'locations', [
    adminListRoute('List every location, published or not (OCPI list rules)', list, kit, (request) => reads.list(ALL, request)),

    route({ method: 'get', path: LOCATION, summary: 'A location with its EVSEs and connectors' }, async (req, res) => {
      const location = await reads.location(req.params.locationId, ALL);
      if (!answeredNotModified(req, res, location.version)) respond(res, locationObject(location));
    }),
    route({ method: 'put', path: LOCATION, summary: 'Create or replace a location', body: LocationInput }, async (req, res, body) => {
      written(req, res, await writes.putLocation(req.params.locationId, body, readPreconditions(req)));
    }),
    route({ method: 'patch', path: LOCATION, summary: 'Update part of a location (If-Match required)', body: LocationPatch }, async (req, res, body) => {
      written(req, res, await writes.patchLocation(req.params.locationId, body, readPreconditions(req)));
    }),

    route({ method: 'get', path: EVSE, summary: 'An EVSE' }, async (req, res) => {
      const { evse } = await reads.evse(req.params.locationId, req.params.evseUid, ALL);
      if (!answeredNotModified(req, res, evse.version)) respond(res, evseObject(evse));
    }),
    route({ method: 'put', path: EVSE, summary: 'Create or replace an EVSE', body: EvseInput }, async (req, res, body) => {
      written(req, res, await writes.putEvse(req.params.locationId, req.params.evseUid, body, readPreconditions(req)));
    }),
    route({ method: 'patch', path: EVSE, summary: 'Update part of an EVSE (If-Match required)', body: EvsePatch }, async (req, res, body) => {
      written(req, res, await writes.patchEvse(req.params.locationId, req.params.evseUid, body, readPreconditions(req)));
    }),
    route({ method: 'delete', path: EVSE, summary: 'Remove an EVSE (its status becomes REMOVED)' }, async (req, res) => {
      written(req, res, await writes.removeEvse(req.params.locationId, req.params.evseUid, readPreconditions(req)));
    }),

    route({ method: 'get', path: CONNECTOR, summary: 'A connector' }, async (req, res) => {
      const { locationId, evseUid, connectorId } = req.params;
      const connector = await reads.connector(locationId, evseUid, connectorId, ALL);
      if (!answeredNotModified(req, res, connector.version)) respond(res, connectorObject(connector));
    }),
    route({ method: 'put', path: CONNECTOR, summary: 'Create or replace a connector', body: ConnectorInput }, async (req, res, body) => {
      const { locationId, evseUid, connectorId } = req.params;
      written(req, res, await writes.putConnector(locationId, evseUid, connectorId, body, readPreconditions(req)));
    }),
    route({ method: 'patch', path: CONNECTOR, summary: 'Update part of a connector (If-Match required)', body: ConnectorPatch }, async (req, res, body) => {
      const { locationId, evseUid, connectorId } = req.params;
      written(req, res, await writes.patchConnector(locationId, evseUid, connectorId, body, readPreconditions(req)));
    }),
  ]);
}
