import { Router } from 'express';
import type { RouteKit } from '../ocpi/route-kit';
import { adminPartnersRoutes } from './partners.routes';
import type { PartnersService } from './partners.service';
import { adminLocationsRoutes } from './locations.routes';
import type { LocationAdminService } from '../modules/locations/location-admin.service';
import type { LocationsService } from '../modules/locations/locations.service';
import type { TariffsService } from '../modules/tariffs/tariffs.service';
import { adminTariffsRoutes } from './tariffs.routes';
import type { TariffQuote } from '../modules/tariffs/tariff-quote';
import type { CdrsService } from '../modules/cdrs/cdrs.service';
import type { CdrIssuing } from '../modules/cdrs/cdr-issuing.service';
import { adminCdrsRoutes } from './cdrs.routes';
import type { ChargingPreferencesService } from '../modules/sessions/charging-preferences.service';
import type { SessionsService } from '../modules/sessions/sessions.service';
import { adminSessionsRoutes } from './sessions.routes';
import type { TokensService } from '../modules/tokens/tokens.service';
import { adminTokensRoutes } from './tokens.routes';
import type { AuthorizeService } from '../modules/tokens/authorize.service';
import { adminAuthorizeRoutes } from './authorize.routes';
import type { CommandsService } from '../modules/commands/commands.service';
import { adminCommandsRoutes } from './commands.routes';
import type { DeclaredAdminRoute } from './admin-route';
import { adminDocsRoutes } from './docs.routes';
import { version } from '../../package.json';

export interface AdminServices {
  partners: PartnersService;
  locations: LocationsService;
  locationAdmin: LocationAdminService;
  tariffs: TariffsService;
  tariffQuote: TariffQuote;
  cdrs: CdrsService;
  cdrIssuing: CdrIssuing;
  sessions: SessionsService;
  chargingPreferences: ChargingPreferencesService;
  tokens: TokensService;
  authorize: AuthorizeService;
  commands: CommandsService;
}

export interface AdminRouterOptions {
  /** Our OCPI versions URL, handed out with each token A. */
  ocpiVersionsUrl: string;
  /** Public URL of `/admin`, for `Link` headers of the lists. */
  adminBaseUrl: string;
  maxPageSize: number;
}

const declaredRoutes = new WeakMap<Router, readonly DeclaredAdminRoute[]>();

/** Every route of an admin router as declared (what its OpenAPI document lists), in registration order. */
export function adminRoutesOf(router: Router): readonly DeclaredAdminRoute[] {
  return declaredRoutes.get(router) ?? [];
}

/**
 * `/admin`: the operator's API, admin tokens only (`Bearer` or `Token`); its OpenAPI document and docs
 * page are anonymous and so come before the guard.
 */
export function adminRouter(services: AdminServices, options: AdminRouterOptions, kit: RouteKit): Router {
  const router = Router();
  const listOf = (name: string) => ({ listUrl: `${options.adminBaseUrl}/${name}`, maxPageSize: options.maxPageSize });
  const groups = [
    adminPartnersRoutes(services.partners, options.ocpiVersionsUrl, kit),
    adminLocationsRoutes(services.locationAdmin, services.locations, listOf('locations'), kit),
    adminTariffsRoutes(services.tariffs, services.tariffQuote, listOf('tariffs'), kit),
    adminCdrsRoutes(services.cdrs, listOf('cdrs'), kit),
    adminSessionsRoutes(services.sessions, services.chargingPreferences, services.cdrIssuing, listOf('sessions'), kit),
    adminTokensRoutes(services.tokens, listOf('tokens'), kit),
    adminAuthorizeRoutes(services.authorize, kit),
    adminCommandsRoutes(services.commands, kit),
  ];
  const docs = adminDocsRoutes(() => adminRoutesOf(router), { adminBaseUrl: options.adminBaseUrl, version });
  declaredRoutes.set(router, [docs, ...groups].flatMap((group) => group.routes));
  router.use(docs.router);
  router.use(kit.guard({ roles: ['ADMIN'] }));
  for (const group of groups) router.use(group.mount, group.router);
  return router;
}
