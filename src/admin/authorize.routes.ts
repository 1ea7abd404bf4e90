import { Router } from 'express';
import { methodNotAllowed } from '../ocpi/method-not-allowed';
import type { RouteKit } from '../ocpi/route-kit';
import { validate } from '../ocpi/validate';
import { AuthorizeRequest } from '../modules/tokens/authorize.schema';
import type { AuthorizeService } from '../modules/tokens/authorize.service';

/** `POST /admin/authorize`: the CSMS asks whether a token may charge (here); 200 with the decision, whatever it is. */
export function adminAuthorizeRouter(service: AuthorizeService, { respond }: RouteKit): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    respond(res, await service.authorize(validate(AuthorizeRequest, req.body)));
  });
  router.all('/', methodNotAllowed(['POST']));
  return router;
}
