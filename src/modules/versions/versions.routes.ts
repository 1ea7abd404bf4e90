import { Router } from 'express';
import { callerOf, PARTNER_ROLES, type AccessPolicy } from '../../ocpi/auth';
import { methodNotAllowed } from '../../ocpi/method-not-allowed';
import { endpointsFor, type OcpiModule } from '../../ocpi/module-registry';
import type { RouteKit } from '../../ocpi/route-kit';
import { OCPI_VERSION } from './versions.schema';

/** Everyone who holds a token, and anonymous callers of the open-data feed. */
const versionsPolicy: AccessPolicy = { roles: [...PARTNER_ROLES, 'REGISTRATION'], openData: true };

/** `GET /ocpi/versions` and `GET /ocpi/2.2.1`: mounted at `/ocpi`. */
export function versionsRouter(modules: readonly OcpiModule[], ocpiBaseUrl: string, kit: RouteKit): Router {
  const router = Router();
  const versionBaseUrl = `${ocpiBaseUrl}/${OCPI_VERSION}`;

  router.get('/versions', kit.guard(versionsPolicy), (_req, res) => {
    kit.respond(res, [{ version: OCPI_VERSION, url: versionBaseUrl }]);
  });

  router.get(`/${OCPI_VERSION}`, kit.guard(versionsPolicy), (_req, res) => {
    const endpoints = endpointsFor(modules, callerOf(res), versionBaseUrl, kit.openData);
    kit.respond(res, { version: OCPI_VERSION, endpoints });
  });

  router.all(['/versions', `/${OCPI_VERSION}`], methodNotAllowed(['GET']));
  return router;
}
