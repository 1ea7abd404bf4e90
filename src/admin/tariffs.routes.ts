import { answeredNotModified } from '../ocpi/conditional-get';
import { setEtag } from '../ocpi/etag';
import { readPreconditions } from '../ocpi/preconditions';
import type { RouteKit } from '../ocpi/route-kit';
import { tariffObject } from '../modules/tariffs/tariffs.mapper';
import { TariffInput } from '../modules/tariffs/tariffs.schema';
import type { TariffsService } from '../modules/tariffs/tariffs.service';
import { QuoteRequest, type TariffQuote } from '../modules/tariffs/tariff-quote';
import { adminListRoute, type AdminListOptions } from './admin-list-route';
import { adminRouteGroup, route, type AdminRouteGroup } from './admin-route';

const ALL = { publishedOnly: false };
const TARIFF = '/:tariffId';
const QUOTE = '/:tariffId/quote';

/** `/admin/tariffs`: the operator's tariffs (no PATCH: OCPI has none for tariffs); GETs answer with ETags. */
export function adminTariffsRoutes(service: TariffsService, quote: TariffQuote, list: AdminListOptions, kit: RouteKit): AdminRouteGroup {
  const { respond } = kit;
  return adminRouteGroup('/tariffs', 'tariffs', [
    adminListRoute('List tariffs (OCPI list rules)', list, kit, (request) => service.list(ALL, request)),

    route({ method: 'get', path: TARIFF, summary: 'A tariff' }, async (req, res) => {
      const tariff = await service.get(req.params.tariffId);
      if (!answeredNotModified(req, res, tariff.version)) respond(res, tariffObject(tariff));
    }),

    route({ method: 'put', path: TARIFF, summary: 'Create or replace a tariff', body: TariffInput }, async (req, res, body) => {
      const { tariff, created } = await service.put(req.params.tariffId, body, readPreconditions(req));
      setEtag(res, tariff.version);
      respond(res, tariffObject(tariff), created ? 201 : 200);
    }),

    route({ method: 'delete', path: TARIFF, summary: "Delete a tariff (409 while a connector's tariff_ids names it)" }, async (req, res) => {
      const tariff = await service.remove(req.params.tariffId, readPreconditions(req));
      setEtag(res, tariff.version);
      respond(res, tariffObject(tariff));
    }),

    route({ method: 'post', path: QUOTE, summary: 'What the given charging periods cost under this tariff', body: QuoteRequest }, async (req, res, body) => {
      respond(res, await quote(req.params.tariffId, body));
    }),
  ]);
}
