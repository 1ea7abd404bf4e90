import { Router } from 'express';
import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../ocpi/pagination';
import type { RouteKit } from '../ocpi/route-kit';
import { validate } from '../ocpi/validate';
import { cdrObject } from '../modules/cdrs/cdrs.mapper';
import { CdrInput } from '../modules/cdrs/cdrs.schema';
import type { CdrsService } from '../modules/cdrs/cdrs.service';

const OPERATOR = { kind: 'operator' } as const;
const CDR = '/:cdrId';
const DELIVERY = '/:cdrId/delivery';

export interface AdminCdrListOptions {
  /** Public URL of `/admin/cdrs`, for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

/** `/admin/cdrs`: finished CDRs as the CSMS reports them; immutable, so POST creates and nothing replaces. */
export function adminCdrsRouter(service: CdrsService, list: AdminCdrListOptions, { respond, respondJsonItems }: RouteKit): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
    const page = await service.list(OPERATOR, request);
    res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, page, list.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.post('/', async (req, res) => {
    const cdr = await service.create(validate(CdrInput, req.body));
    setEtag(res, cdr.version);
    respond(res, cdrObject(cdr), 201);
  });

  router.get(CDR, async (req, res) => {
    const cdr = await service.get(req.params.cdrId);
    if (!answeredNotModified(req, res, cdr.version)) respond(res, cdrObject(cdr));
  });

  router.get(DELIVERY, async (req, res) => {
    respond(res, await service.deliveries(req.params.cdrId));
  });

  router.all('/', methodNotAllowed(['GET', 'POST']));
  router.all(DELIVERY, methodNotAllowed(['GET']));
  router.all(CDR, methodNotAllowed(['GET']));
  return router;
}
