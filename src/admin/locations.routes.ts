import { Router, type Request } from 'express';
import type { TSchema, Static } from '@sinclair/typebox';
import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../ocpi/pagination';
import { readPreconditions } from '../ocpi/preconditions';
import type { RouteKit } from '../ocpi/route-kit';
import { validate } from '../ocpi/validate';
import type { LocationAdminService, WriteResult } from '../modules/locations/location-admin.service';
import { findConnector, findEvse } from '../modules/locations/location-nodes';
import { connectorObject, evseObject, locationObject } from '../modules/locations/locations.mapper';
import { ConnectorInput, ConnectorPatch, EvseInput, EvsePatch, LocationInput, LocationPatch } from '../modules/locations/locations.schema';
import type { LocationsService } from '../modules/locations/locations.service';

const ALL = { publishedOnly: false };
const LOCATION = '/:locationId';
const EVSE = '/:locationId/evses/:evseUid';
const CONNECTOR = '/:locationId/evses/:evseUid/connectors/:connectorId';

type Target = { version: number; object: Record<string, unknown> };

export interface AdminLocationListOptions {
  /** Public URL of `/admin/locations`, for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

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
export function adminLocationsRouter(writes: LocationAdminService, reads: LocationsService, list: AdminLocationListOptions, kit: RouteKit): Router {
  const { respond, respondJsonItems } = kit;
  const router = Router();
  const body = <T extends TSchema>(schema: T, req: Request): Static<T> => validate(schema, req.body);
  const written = (req: Request, res: Parameters<RouteKit['respond']>[0], result: WriteResult) => {
    const { version, object } = target(result, req);
    setEtag(res, version);
    respond(res, object, result.created ? 201 : 200);
  };

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
    const page = await reads.list(ALL, request);
    res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, page, list.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.get(LOCATION, async (req, res) => {
    const location = await reads.location(req.params.locationId, ALL);
    if (!answeredNotModified(req, res, location.version)) respond(res, locationObject(location));
  });
  router.put(LOCATION, async (req, res) => {
    written(req, res, await writes.putLocation(req.params.locationId, body(LocationInput, req), readPreconditions(req)));
  });
  router.patch(LOCATION, async (req, res) => {
    written(req, res, await writes.patchLocation(req.params.locationId, body(LocationPatch, req), readPreconditions(req)));
  });

  router.get(EVSE, async (req, res) => {
    const { evse } = await reads.evse(req.params.locationId, req.params.evseUid, ALL);
    if (!answeredNotModified(req, res, evse.version)) respond(res, evseObject(evse));
  });
  router.put(EVSE, async (req, res) => {
    written(req, res, await writes.putEvse(req.params.locationId, req.params.evseUid, body(EvseInput, req), readPreconditions(req)));
  });
  router.patch(EVSE, async (req, res) => {
    written(req, res, await writes.patchEvse(req.params.locationId, req.params.evseUid, body(EvsePatch, req), readPreconditions(req)));
  });
  router.delete(EVSE, async (req, res) => {
    written(req, res, await writes.removeEvse(req.params.locationId, req.params.evseUid, readPreconditions(req)));
  });

  router.get(CONNECTOR, async (req, res) => {
    const { locationId, evseUid, connectorId } = req.params;
    const connector = await reads.connector(locationId, evseUid, connectorId, ALL);
    if (!answeredNotModified(req, res, connector.version)) respond(res, connectorObject(connector));
  });
  router.put(CONNECTOR, async (req, res) => {
    const { locationId, evseUid, connectorId } = req.params;
    written(req, res, await writes.putConnector(locationId, evseUid, connectorId, body(ConnectorInput, req), readPreconditions(req)));
  });
  router.patch(CONNECTOR, async (req, res) => {
    const { locationId, evseUid, connectorId } = req.params;
    written(req, res, await writes.patchConnector(locationId, evseUid, connectorId, body(ConnectorPatch, req), readPreconditions(req)));
  });

  router.all('/', methodNotAllowed(['GET']));
  router.all(LOCATION, methodNotAllowed(['GET', 'PUT', 'PATCH']));
  router.all(EVSE, methodNotAllowed(['GET', 'PUT', 'PATCH', 'DELETE']));
  router.all(CONNECTOR, methodNotAllowed(['GET', 'PUT', 'PATCH']));
  return router;
}
