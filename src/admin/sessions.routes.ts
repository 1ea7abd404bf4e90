import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { readPreconditions } from '../ocpi/preconditions';
import type { RouteKit } from '../ocpi/route-kit';
import { IssueCdrRequest, type CdrIssuing } from '../modules/cdrs/cdr-issuing.service';
import { cdrObject } from '../modules/cdrs/cdrs.mapper';
import type { ChargingPreferencesService } from '../modules/sessions/charging-preferences.service';
import { sessionObject } from '../modules/sessions/sessions.mapper';
import { SessionInput, SessionPatch } from '../modules/sessions/sessions.schema';
import type { SessionsService } from '../modules/sessions/sessions.service';
import { adminListRoute, type AdminListOptions } from './admin-list-route';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

const SESSION = '/:sessionId';
const PREFERENCES = '/:sessionId/charging_preferences';
const CDR = '/:sessionId/cdr';

/** `/admin/sessions`: sessions as the CSMS reports them; GETs answer with ETags, PATCH needs If-Match. */
export function adminSessionsRoutes(
  service: SessionsService,
  preferences: ChargingPreferencesService,
  issuing: CdrIssuing,
  list: AdminListOptions,
  kit: RouteKit,
): AdminRouteGroup {
  const { respond } = kit;
  return adminRouteGroup('/sessions', 'sessions', [
    adminListRoute('List sessions (OCPI list rules)', list, kit, (request) => service.list(undefined, request)),

    route({ method: 'get', path: SESSION, summary: 'A session' }, async (req, res) => {
      const session = await service.get(req.params.sessionId);
      if (!answeredNotModified(req, res, session.version)) respond(res, sessionObject(session));
    }),

    route({ method: 'put', path: SESSION, summary: 'Create or replace a session as the CSMS reports it', body: SessionInput }, async (req, res, body) => {
      const { session, created } = await service.put(req.params.sessionId, body, readPreconditions(req));
      setEtag(res, session.version);
      respond(res, sessionObject(session), created ? 201 : 200);
    }),

    route({ method: 'patch', path: SESSION, summary: 'Update part of a session; charging_periods are appended (If-Match required)', body: SessionPatch }, async (req, res, body) => {
      const { session } = await service.patch(req.params.sessionId, body, readPreconditions(req));
      setEtag(res, session.version);
      respond(res, sessionObject(session));
    }),

    route({ method: 'get', path: PREFERENCES, summary: 'The last charging preferences the owning eMSP set' }, async (req, res) => {
      respond(res, await preferences.get(req.params.sessionId));
    }),

    route({ method: 'post', path: CDR, summary: 'Build, price and issue the CDR of a COMPLETED session', body: IssueCdrRequest, bodyOptional: true, status: 201 }, async (req, res, body) => {
      const cdr = await issuing.issue(req.params.sessionId, body);
      setEtag(res, cdr.version);
      respond(res, cdrObject(cdr), 201);
    }),
  ]);
}
