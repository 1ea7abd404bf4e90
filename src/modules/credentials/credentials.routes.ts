import { Router } from 'express';
import type { AccessPolicy } from '../../ocpi/auth';
import { PARTNER_ROLES, tokenCaller } from '../../ocpi/auth';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import type { RouteKit } from '../../ocpi/route-kit';
import { validate } from '../../ocpi/validate';
import { Credentials } from './credentials.schema';
import type { CredentialsService } from './credentials.service';

export const credentialsPolicy: AccessPolicy = { roles: [...PARTNER_ROLES, 'REGISTRATION'] };

export function credentialsRouter(service: CredentialsService, { guard, respond }: RouteKit): Router {
  const router = Router();
  router.use(guard(credentialsPolicy));

  router.get('/', (_req, res) => {
    respond(res, service.get(tokenCaller(res)));
  });

  router.post('/', async (req, res) => {
    const body = validate(Credentials, req.body);
    respond(res, await service.register(tokenCaller(res), body));
  });

  router.put('/', async (req, res) => {
    const body = validate(Credentials, req.body);
    respond(res, await service.update(tokenCaller(res), body));
  });

  router.delete('/', async (_req, res) => {
    await service.unregister(tokenCaller(res));
    respond(res);
  });

  router.all('/', methodNotAllowed(['GET', 'POST', 'PUT', 'DELETE']));
  return router;
}
