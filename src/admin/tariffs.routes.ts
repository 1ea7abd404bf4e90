import { Router } from 'express';
import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../ocpi/pagination';
import { readPreconditions } from '../ocpi/preconditions';
import type { RouteKit } from '../ocpi/route-kit';
import { validate } from '../ocpi/validate';
import { tariffObject } from '../modules/tariffs/tariffs.mapper';
import { TariffInput } from '../modules/tariffs/tariffs.schema';
import type { TariffsService } from '../modules/tariffs/tariffs.service';
import { QuoteRequest, type TariffQuote } from '../modules/tariffs/tariff-quote';

const ALL = { publishedOnly: false };
const TARIFF = '/:tariffId';
const QUOTE = '/:tariffId/quote';

export interface AdminTariffListOptions {
  /** Public URL of `/admin/tariffs`, for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

/** `/admin/tariffs`: the operator's tariffs (no PATCH: OCPI has none for tariffs); GETs answer with ETags. */
export function adminTariffsRouter(service: TariffsService, quote: TariffQuote, list: AdminTariffListOptions, { respond, respondJsonItems }: RouteKit): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
    const page = await service.list(ALL, request);
    res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, page, list.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.get(TARIFF, async (req, res) => {
    const tariff = await service.get(req.params.tariffId);
    if (!answeredNotModified(req, res, tariff.version)) respond(res, tariffObject(tariff));
  });

  router.put(TARIFF, async (req, res) => {
    const { tariff, created } = await service.put(req.params.tariffId, validate(TariffInput, req.body), readPreconditions(req));
    setEtag(res, tariff.version);
    respond(res, tariffObject(tariff), created ? 201 : 200);
  });

  router.delete(TARIFF, async (req, res) => {
    const tariff = await service.remove(req.params.tariffId, readPreconditions(req));
    setEtag(res, tariff.version);
    respond(res, tariffObject(tariff));
  });

  router.post(QUOTE, async (req, res) => {
    respond(res, await quote(req.params.tariffId, validate(QuoteRequest, req.body)));
  });

  router.all('/', methodNotAllowed(['GET']));
  router.all(TARIFF, methodNotAllowed(['GET', 'PUT', 'DELETE']));
  router.all(QUOTE, methodNotAllowed(['POST']));
  return router;
}
