import { Router } from 'express';
import { answeredNotModified } from '../ocpi/conditional-get';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import { paginationHeaders, parsePageRequest } from '../ocpi/pagination';
import type { RouteKit } from '../ocpi/route-kit';
import { tokenObject } from '../modules/tokens/tokens.mapper';
import { TOKEN_PATH, tokenPathOf } from '../modules/tokens/tokens.routes';
import type { TokensService } from '../modules/tokens/tokens.service';

export interface AdminTokenListOptions {
  /** Public URL of `/admin/tokens`, for `Link` headers. */
  listUrl: string;
  maxPageSize: number;
}

/** `/admin/tokens`: the tokens partners pushed or we pulled, read-only (the eMSPs own them); GETs answer with ETags. */
export function adminTokensRouter(service: TokensService, list: AdminTokenListOptions, { respond, respondJsonItems }: RouteKit): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const request = parsePageRequest(req.query, list.maxPageSize, { refuseUnknown: true });
    const page = await service.list(request);
    res.set(paginationHeaders(list.listUrl, req.query as Record<string, unknown>, request, page, list.maxPageSize));
    respondJsonItems(res, page.items.map((item) => item.json));
  });

  router.get(TOKEN_PATH, async (req, res) => {
    const token = await service.get(tokenPathOf(req));
    if (!answeredNotModified(req, res, token.version)) respond(res, tokenObject(token));
  });

  router.all('/', methodNotAllowed(['GET']));
  router.all(TOKEN_PATH, methodNotAllowed(['GET']));
  return router;
}
