import { Router } from 'express';
import type { RouteKit } from '../ocpi/route-kit';
import { adminPartnersRouter } from './partners.routes';
import type { PartnersService } from './partners.service';
import { adminLocationsRouter } from './locations.routes';
import type { LocationAdminService } from '../modules/locations/location-admin.service';
import type { LocationsService } from '../modules/locations/locations.service';
import type { TariffsService } from '../modules/tariffs/tariffs.service';
import { adminTariffsRouter } from './tariffs.routes';
import type { TariffQuote } from '../modules/tariffs/tariff-quote';
import type { CdrsService } from '../modules/cdrs/cdrs.service';
import type { CdrIssuing } from '../modules/cdrs/cdr-issuing.service';
import { adminCdrsRouter } from './cdrs.routes';
import type { ChargingPreferencesService } from '../modules/sessions/charging-preferences.service';
import type { SessionsService } from '../modules/sessions/sessions.service';
import { adminSessionsRouter } from './sessions.routes';
import type { TokensService } from '../modules/tokens/tokens.service';
import { adminTokensRouter } from './tokens.routes';
import type { AuthorizeService } from '../modules/tokens/authorize.service';
import { adminAuthorizeRouter } from './authorize.routes';
import type { CommandsService } from '../modules/commands/commands.service';
import { adminCommandsRouter } from './commands.routes';

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

/** `/admin`: the operator's API, admin tokens only (`Bearer` or `Token`). */
export function adminRouter(services: AdminServices, options: AdminRouterOptions, kit: RouteKit): Router {
  const router = Router();
  router.use(kit.guard({ roles: ['ADMIN'] }));
  router.use('/partners', adminPartnersRouter(services.partners, options.ocpiVersionsUrl, kit));
  const list = { listUrl: `${options.adminBaseUrl}/locations`, maxPageSize: options.maxPageSize };
  router.use('/locations', adminLocationsRouter(services.locationAdmin, services.locations, list, kit));
  router.use('/tariffs', adminTariffsRouter(services.tariffs, services.tariffQuote, { listUrl: `${options.adminBaseUrl}/tariffs`, maxPageSize: options.maxPageSize }, kit));
  router.use('/cdrs', adminCdrsRouter(services.cdrs, { listUrl: `${options.adminBaseUrl}/cdrs`, maxPageSize: options.maxPageSize }, kit));
  const sessionList = { listUrl: `${options.adminBaseUrl}/sessions`, maxPageSize: options.maxPageSize };
  router.use('/sessions', adminSessionsRouter(services.sessions, services.chargingPreferences, services.cdrIssuing, sessionList, kit));
  router.use('/tokens', adminTokensRouter(services.tokens, { listUrl: `${options.adminBaseUrl}/tokens`, maxPageSize: options.maxPageSize }, kit));
  router.use('/authorize', adminAuthorizeRouter(services.authorize, kit));
  router.use('/commands', adminCommandsRouter(services.commands, kit));
  return router;
}
