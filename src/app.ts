import express, { type Express, type RequestHandler } from 'express';
import type { Config } from './config';
import { listenOnExpressPrototypes } from './platform/express-prototypes';
import type { Clock } from './platform/clock';
import type { Logger } from './platform/logger';
import { accessLog } from './platform/access-log';
import type { Metrics } from './platform/metrics';
import { captureRouteTemplates, httpMetrics, serveMetrics } from './platform/http-metrics';
import { authenticate, type TokenResolver } from './ocpi/auth';
import { errorMiddleware, notFoundHandler } from './ocpi/error-middleware';
import { requestIds } from './ocpi/headers';
import type { OcpiModule } from './ocpi/module-registry';
import { createRouteKit } from './ocpi/route-kit';
import { adminRouter } from './admin';
import type { PartnersService } from './admin/partners.service';
import { healthRouter, type ReadinessCheck } from './health.routes';
import { credentialsModule } from './modules/credentials';
import type { CredentialsService } from './modules/credentials/credentials.service';
import { versionsRouter } from './modules/versions/versions.routes';
import { locationsModule } from './modules/locations';
import type { LocationAdminService } from './modules/locations/location-admin.service';
import type { LocationsService } from './modules/locations/locations.service';
import { tariffsModule } from './modules/tariffs';
import type { TariffsService } from './modules/tariffs/tariffs.service';
import { cdrsModule } from './modules/cdrs';
import type { CdrsService } from './modules/cdrs/cdrs.service';
import type { CdrIssuing } from './modules/cdrs/cdr-issuing.service';
import type { TariffQuote } from './modules/tariffs/tariff-quote';
import { sessionsModule } from './modules/sessions';
import type { ChargingPreferencesService } from './modules/sessions/charging-preferences.service';
import type { OwnersOf } from './modules/sessions/session-owners';
import type { SessionsService } from './modules/sessions/sessions.service';
import { tokensModule } from './modules/tokens';
import type { TokensService } from './modules/tokens/tokens.service';
import type { AuthorizeService } from './modules/tokens/authorize.service';
import { commandsModule } from './modules/commands';
import type { CommandsService } from './modules/commands/commands.service';
import { openDataRateLimit } from './ocpi/open-data-rate-limit';
import { methodNotAllowed } from './ocpi/method-not-allowed';
import type { Party } from './ocpi/routing-headers';
import { OCPI_VERSION } from './modules/versions/versions.schema';
import { openDataRouter } from './open-data/open-data.routes';
import type { OpenDataService } from './open-data/open-data.service';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'openData' | 'bodyLimit' | 'maxPageSize' | 'openDataRateLimit' | 'trustProxy' | 'mapTiles' | 'metricsPublic'>;
  logger: Logger;
  clock: Clock;
  resolveToken: TokenResolver;
  readiness: ReadinessCheck;
  /** Public base of the OCPI API, e.g. `https://cpo.example.com/ocpi`. */
  ocpiBaseUrl: string;
  credentials: CredentialsService;
  partners: PartnersService;
  locations: LocationsService;
  locationAdmin: LocationAdminService;
  tariffs: TariffsService;
  tariffQuote: TariffQuote;
  cdrs: CdrsService;
  cdrIssuing: CdrIssuing;
  sessions: SessionsService;
  chargingPreferences: ChargingPreferencesService;
  /** The parties a calling partner holds: whose sessions it sees. */
  sessionOwners: OwnersOf;
  tokens: TokensService;
  /** `POST /admin/authorize`: the whitelist rules and real-time authorization at the eMSPs. */
  authorize: AuthorizeService;
  commands: CommandsService;
  /** The GeoJSON feed of the published locations (with the public map page, when OPEN_DATA is on). */
  openData: OpenDataService;
  /** Our CPO party, sent as OCPI-from on functional modules. */
  us: Party;
  /** This app's metrics registry, served at `GET /metrics`. */
  metrics: Metrics;
}

/**
 * `express.json()` for requests that carry a body (its own test: a Transfer-Encoding or a Content-Length
 * header); the many GETs without one skip it.
 */
function jsonBodies(limit: AppDeps['config']['bodyLimit']): RequestHandler {
  const parse = express.json({ limit, strict: true });
  return (req, res, next) => (req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined ? parse(req, res, next) : next());
}

/** What the health router answers, matched as Express matches its routes (any case, optional trailing slash). */
const HEALTH_PATHS = /^\/(?:health|ready)\/?$/i;

/** Enters `handler` only for paths it can answer: a router is costly to enter on every request. */
function onlyAt(paths: RegExp, handler: RequestHandler): RequestHandler {
  return (req, res, next) => (paths.test(req.path) ? handler(req, res, next) : next());
}

/** The Express app: plumbing, OCPI modules, admin API, errors last. Never listens. */
export function buildApp(deps: AppDeps): Express {
  const kit = createRouteKit(deps.clock, deps.config.openData);
  const versionBaseUrl = `${deps.ocpiBaseUrl}/${OCPI_VERSION}`;
  const modules: OcpiModule[] = [
    credentialsModule(deps.credentials, kit),
    locationsModule(deps.locations, { us: deps.us, endpointUrl: `${versionBaseUrl}/locations`, maxPageSize: deps.config.maxPageSize }, kit),
    tariffsModule(deps.tariffs, { us: deps.us, endpointUrl: `${versionBaseUrl}/tariffs`, maxPageSize: deps.config.maxPageSize }, kit),
    cdrsModule(deps.cdrs, { us: deps.us, endpointUrl: `${versionBaseUrl}/cdrs`, maxPageSize: deps.config.maxPageSize }, kit),
    sessionsModule(deps.sessions, deps.chargingPreferences, deps.sessionOwners, { us: deps.us, endpointUrl: `${versionBaseUrl}/sessions`, maxPageSize: deps.config.maxPageSize }, kit),
    tokensModule(deps.tokens, deps.sessionOwners, { us: deps.us }, kit),
    commandsModule(deps.commands, deps.sessionOwners, { us: deps.us }, kit),
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.config.trustProxy);
  captureRouteTemplates(app);
  app.use(httpMetrics(deps.metrics));
  app.use(requestIds());
  app.use(accessLog(deps.logger));
  app.use(onlyAt(HEALTH_PATHS, healthRouter(deps.readiness, kit)));
  app.use(authenticate(deps.resolveToken));
  app.use(openDataRateLimit(deps.config.openDataRateLimit));
  app.use(jsonBodies(deps.config.bodyLimit));

  // Modules first: partners hit them hardest, and the versions router's two paths never overlap theirs.
  for (const module of modules) app.use(`/ocpi/${OCPI_VERSION}/${module.path}`, module.router);
  app.use('/ocpi', versionsRouter(modules, deps.ocpiBaseUrl, kit));
  const admin = {
    partners: deps.partners, locations: deps.locations, locationAdmin: deps.locationAdmin, tariffs: deps.tariffs, tariffQuote: deps.tariffQuote,
    sessions: deps.sessions, chargingPreferences: deps.chargingPreferences, cdrs: deps.cdrs, cdrIssuing: deps.cdrIssuing,
    tokens: deps.tokens, authorize: deps.authorize, commands: deps.commands,
  };
  const adminUrls = { ocpiVersionsUrl: `${deps.ocpiBaseUrl}/versions`, adminBaseUrl: `${deps.config.publicUrl}/admin` };
  app.use('/admin', adminRouter(admin, { ...adminUrls, maxPageSize: deps.config.maxPageSize }, kit));
  const metricsGuard = deps.config.metricsPublic ? [] : [kit.guard({ roles: ['ADMIN'] })];
  app.get('/metrics', ...metricsGuard, serveMetrics(deps.metrics));
  app.all('/metrics', methodNotAllowed(['GET']));
  if (deps.config.openData) app.use(openDataRouter(deps.openData, { tiles: deps.config.mapTiles, logger: deps.logger }));

  app.use(notFoundHandler());
  app.use(errorMiddleware(deps.clock, deps.logger));
  listenOnExpressPrototypes(app);
  return app;
}
