import { Router } from 'express';
import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../ocpi/pagination';
import { readPreconditions } from '../ocpi/preconditions';
import type { RouteKit } from '../ocpi/route-kit';
import { validate } from '../ocpi/validate';
import { IssueCdrRequest, type CdrIssuing } from '../modules/cdrs/cdr-issuing.service';
import { cdrObject } from '../modules/cdrs/cdrs.mapper';
import type { ChargingPreferencesService } from '../modules/sessions/charging-preferences.service';
import { sessionObject } from '../modules/sessions/sessions.mapper';
import { SessionInput, SessionPatch } from '../modules/sessions/sessions.schema';
import type { SessionsService } from '../modules/sessions/sessions.service';

const SESSION = '/:sessionId';
const PREFERENCES = '/:sessionId/charging_preferences';
const CDR = '/:sessionId/cdr';

export interface AdminSessionListOptions {
  /** Public URL of `/admin/sessions`, for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

/** `/admin/sessions`: sessions as the CSMS reports them; GETs answer with ETags, PATCH needs If-Match. */
export function adminSessionsRouter(
  service: SessionsService,
  preferences: ChargingPreferencesService,
  issuing: CdrIssuing,
  list: AdminSessionListOptions,
  { respond, respondJsonItems }: RouteKit,
): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
    const page = await service.list(undefined, request);
    res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, page, list.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.get(SESSION, async (req, res) => {
    const session = await service.get(req.params.sessionId);
    if (!answeredNotModified(req, res, session.version)) respond(res, sessionObject(session));
  });

  router.put(SESSION, async (req, res) => {
    const { session, created } = await service.put(req.params.sessionId, validate(SessionInput, req.body), readPreconditions(req));
    setEtag(res, session.version);
    respond(res, sessionObject(session), created ? 201 : 200);
  });

  router.patch(SESSION, async (req, res) => {
    const { session } = await service.patch(req.params.sessionId, validate(SessionPatch, req.body), readPreconditions(req));
    setEtag(res, session.version);
    respond(res, sessionObject(session));
  });

  router.get(PREFERENCES, async (req, res) => {
    respond(res, await preferences.get(req.params.sessionId));
  });

  router.post(CDR, async (req, res) => {
    const cdr = await issuing.issue(req.params.sessionId, validate(IssueCdrRequest, req.body ?? {}));
    setEtag(res, cdr.version);
    respond(res, cdrObject(cdr), 201);
  });

  router.all('/', methodNotAllowed(['GET']));
  router.all(SESSION, methodNotAllowed(['GET', 'PUT', 'PATCH']));
  router.all(PREFERENCES, methodNotAllowed(['GET']));
  router.all(CDR, methodNotAllowed(['POST']));
  return router;
}
