import type { Config } from './config';
import type { Clock } from './platform/clock';
import { poolUseOf, type Database } from './platform/database';
import type { Logger } from './platform/logger';
import { pendingMigrations } from './platform/migrator';
import { createAccessTokenRepository } from './modules/credentials/access-token.repository';
import { createCredentialsService } from './modules/credentials/credentials.service';
import { createPartnerRepository } from './modules/credentials/partner.repository';
import { cachedTokenResolver } from './ocpi/token-cache';
import type { OurParty } from './modules/credentials/our-credentials';
import { OCPI_VERSION } from './modules/versions/versions.schema';
import { createPartnersService } from './admin/partners.service';
import { createLocationAdminService } from './modules/locations/location-admin.service';
import { createLocationsRepository } from './modules/locations/locations.repository';
import { createLocationsService } from './modules/locations/locations.service';
import type { AppDeps } from './app';
import { createOutboxRepository } from './push/outbox.repository';
import { createReachabilityRepository } from './push/reachability.repository';
import { createPushWorker } from './push/worker';
import { createOwnedObjectsQueue, type OwnedSources } from './push/owned-objects';
import type { PartnerRecord, PartyRef } from './modules/credentials/partner.mapper';
import { locationsDeliveryHandler } from './modules/locations/locations.push';
import { createLocationStatesRepository } from './modules/locations/location-states.repository';
import { createLocationsReceiverClient } from './modules/locations/locations-receiver.client';
import { createLocationsReconcile } from './modules/locations/locations-reconcile';
import { createTariffsRepository } from './modules/tariffs/tariffs.repository';
import { createTariffsService } from './modules/tariffs/tariffs.service';
import { tariffsDeliveryHandler } from './modules/tariffs/tariffs.push';
import { createCdrsRepository } from './modules/cdrs/cdrs.repository';
import { createCdrsService } from './modules/cdrs/cdrs.service';
import { cdrsDeliveryHandler } from './modules/cdrs/cdrs.push';
import { createCdrIssuing } from './modules/cdrs/cdr-issuing.service';
import { createTariffQuote } from './modules/tariffs/tariff-quote';
import { tariffKey, tariffObject } from './modules/tariffs/tariffs.mapper';
import { createChargingPreferencesService } from './modules/sessions/charging-preferences.service';
import { ownersFromPartners } from './modules/sessions/session-owners';
import type { SessionPlaces } from './modules/sessions/session-places';
import { createSessionsRepository } from './modules/sessions/sessions.repository';
import { createSessionsService } from './modules/sessions/sessions.service';
import { sessionObject } from './modules/sessions/sessions.mapper';
import { sessionsDeliveryHandler } from './modules/sessions/sessions.push';
import { createTokensRepository } from './modules/tokens/tokens.repository';
import { createTokensService } from './modules/tokens/tokens.service';
import { createTokenPull, tokensSenderUrl } from './modules/tokens/tokens.client';
import { createAuthorizeClient } from './modules/tokens/authorize.client';
import { authorizationReferenceFor, createAuthorizeService } from './modules/tokens/authorize.service';
import { createAuthorizationsRepository } from './modules/tokens/authorizations.repository';
import { createCommandsRepository } from './modules/commands/commands.repository';
import { createCommandsService, type CommandsService } from './modules/commands/commands.service';
import { commandsDeliveryHandler } from './modules/commands/commands.push';
import { webhookChargerPort } from './charger/webhook-port';
import { simulatorChargerPort } from './charger/simulator-port';
import type { ChargerPort } from './charger/charger-port';
import { sessionKey } from './modules/sessions/sessions.mapper';
import { createMetrics } from './platform/metrics';
import { pushMetrics } from './push/push-metrics';
import { commandMetrics } from './modules/commands/command-metrics';
import { poolMetrics } from './platform/pool-metrics';
import { createOpenDataService } from './open-data/open-data.service';

/** Locations per page of the open-data GeoJSON feed: a page's Features are what it holds in memory at once. */
const OPEN_DATA_PAGE_SIZE = 500;

/** The composition root: wires repositories and services from the config, the database and the clock. */
export function createContainer(config: Readonly<Config>, database: Database, logger: Logger, clock: Clock) {
  const { prisma } = database;
  const ocpiBaseUrl = `${config.publicUrl}/ocpi`;
  const party: OurParty = { ...config.party, versionsUrl: `${ocpiBaseUrl}/versions` };
  const accessTokens = createAccessTokenRepository(prisma, clock);
  const tokenCache = cachedTokenResolver(accessTokens.resolve, config.tokenCacheTtlMs);
  const partners = createPartnerRepository(prisma, clock, tokenCache.clear);
  const us = { countryCode: config.party.countryCode, partyId: config.party.partyId };
  const outbox = createOutboxRepository(prisma);
  const reachability = createReachabilityRepository(prisma);
  const metrics = createMetrics(logger);
  poolMetrics(metrics, () => poolUseOf(prisma));
  const commandsRecorder = commandMetrics(metrics);
  let wakePushWorker = () => {};
  const changeFeed = { enqueue: outbox.enqueue, enqueueSql: outbox.enqueueSql, committed: () => wakePushWorker() };
  const locationsRepository = createLocationsRepository(prisma, () => clock.now(), changeFeed);
  const tariffsRepository = createTariffsRepository(prisma, () => clock.now(), changeFeed);
  const tariffs = createTariffsService(tariffsRepository, us);
  const sessionPlaces: SessionPlaces = {
    location: (id) => locationsRepository.findTree(us.countryCode, us.partyId, id),
    tariff: async (id) => {
      const record = await tariffsRepository.find(tariffKey(id));
      return record && tariffObject(record);
    },
  };
  const sessionsRepository = createSessionsRepository(prisma, () => clock.now(), changeFeed);
  const cdrsRepository = createCdrsRepository(prisma, () => clock.now(), changeFeed);
  const cdrRetry = { maxAttempts: Infinity, maxAgeMs: config.push.cdrMaxAgeMs, giveUpLevel: 'error' } as const;
  const commandsRepository = createCommandsRepository(prisma, outbox);
  const authorizations = createAuthorizationsRepository(prisma, () => clock.now());
  const sessions = createSessionsService(sessionsRepository, us, sessionPlaces, () => clock.now(), authorizationReferenceFor(authorizations));
  const chargingPreferences = createChargingPreferencesService(sessions, sessionsRepository, sessionPlaces);
  const locationStates = createLocationStatesRepository(prisma, us.countryCode, us.partyId);
  const handlers = [
    locationsDeliveryHandler(locationStates, us),
    tariffsDeliveryHandler(tariffsRepository, us),
    sessionsDeliveryHandler(async (keys) => new Map((await sessionsRepository.findMany(keys)).map((r) => [r.idKey, sessionObject(r)])), us),
    cdrsDeliveryHandler(cdrsRepository.findForDelivery, cdrRetry, logger),
    commandsDeliveryHandler(commandsRepository.findForDelivery, commandsRecorder),
  ];
  const pushWorker = createPushWorker({
    outbox,
    reachability,
    partners,
    handlers,
    metrics: pushMetrics(metrics, outbox, reachability, handlers.map((h) => h.module)),
    logger,
    us,
    settings: { ...config.push, partnerTimeoutMs: config.partnerTimeoutMs },
  });
  wakePushWorker = pushWorker.notify;
  const tokenParties = (parties: PartyRef[]) => parties.map((p) => ({ countryCode: p.country_code.toUpperCase(), partyId: p.party_id.toUpperCase() }));
  const ownedSessions = (parties: PartyRef[]) => sessionsRepository.keysOwnedBy(tokenParties(parties));
  const resyncSources = {
    locations: () => locationsRepository.allIds(),
    tariffs: () => tariffsRepository.allKeys(),
    sessions: (partner: PartnerRecord) => ownedSessions(partner.roles),
  };
  const ownedSources: OwnedSources = { sessions: ownedSessions, cdrs: (parties) => cdrsRepository.undeliveredKeysOwnedBy(tokenParties(parties)) };
  const queueOwned = createOwnedObjectsQueue(outbox, ownedSources, logger, () => wakePushWorker());
  const sessionOwners = ownersFromPartners(partners);
  const cdrs = createCdrsService(cdrsRepository, sessionOwners, us);
  const tokensRepository = createTokensRepository(prisma);
  const tokens = createTokensService(tokensRepository);
  const authorize = createAuthorizeService({
    tokens: tokensRepository, partners, ask: createAuthorizeClient(us, config.authorizeTimeoutMs), references: authorizations, logger,
  });
  const tokenPull = createTokenPull({ service: tokens, logger, timeoutMs: config.partnerTimeoutMs, pageSize: config.maxPageSize });
  const pulls = { tokens: { endpoint: tokensSenderUrl, pull: tokenPull.pull } };
  const afterRegistration = config.tokensPullOnRegister ? tokenPull.inBackground : () => {};
  const reconcilers = {
    locations: createLocationsReconcile({
      client: createLocationsReceiverClient({ us, timeoutMs: config.partnerTimeoutMs, pageSize: config.maxPageSize }),
      current: locationStates.current, allIds: locationsRepository.allIds, outbox, us, logger,
    }),
  };
  const { charger } = config;
  if (charger.port === 'none') logger.warn('no charger port: commands are answered NOT_SUPPORTED (set CHARGER_PORT or CSMS_WEBHOOK_URL)');
  const locationAdmin = createLocationAdminService(locationsRepository, us, tariffs.unknown);
  const cdrIssuing = createCdrIssuing(sessions, cdrs);
  // The simulator reports outcomes through the commands service, which is made with it: bound late.
  let reportResult: CommandsService['reportResult'] = () => Promise.reject(new Error('commands service not wired'));
  const simulator = charger.port === 'simulator'
    ? simulatorChargerPort({
      location: sessionPlaces.location, tariff: sessionPlaces.tariff, locationAdmin, sessions, cdrIssuing,
      report: (id, result) => reportResult(id, result), now: () => clock.now(), speed: charger.simulatorSpeed, logger,
    })
    : undefined;
  const ports: Record<typeof charger.port, () => ChargerPort | undefined> = {
    simulator: () => simulator,
    webhook: () => webhookChargerPort(charger.webhookUrl!, config.partnerTimeoutMs, logger),
    none: () => undefined,
  };
  const commands = createCommandsService({
    repository: commandsRepository,
    port: ports[charger.port](),
    location: sessionPlaces.location,
    session: (id) => sessionsRepository.find(sessionKey(id)),
    timeoutS: charger.commandTimeoutS,
    now: () => clock.now(),
    logger,
    wake: () => wakePushWorker(),
    metrics: commandsRecorder,
  });
  reportResult = commands.reportResult;
  const serviceDeps = {
    partners, party, partnerTimeoutMs: config.partnerTimeoutMs, logger, outbox, reachability, resyncSources, wakePushWorker, queueOwned, pulls, afterRegistration,
    reconcilers,
  };

  const readiness = async (): Promise<string[]> => {
    try {
      const pending = await pendingMigrations((sql) => prisma.$queryRawUnsafe(sql));
      return pending.length > 0 ? [`pending migrations: ${pending.join(', ')}`] : [];
    } catch (error) {
      return [`database: ${(error as Error).message.split('\n')[0]}`];
    }
  };

  const appDeps: AppDeps = {
    config,
    logger,
    clock,
    resolveToken: tokenCache.resolve,
    readiness,
    ocpiBaseUrl,
    credentials: createCredentialsService(serviceDeps),
    partners: createPartnersService(serviceDeps),
    locations: createLocationsService(locationsRepository, us),
    locationAdmin,
    tariffs,
    tariffQuote: createTariffQuote(tariffs),
    cdrs,
    cdrIssuing,
    sessions,
    chargingPreferences,
    sessionOwners,
    tokens,
    authorize,
    commands,
    openData: createOpenDataService({ locations: locationsRepository, tariffs, now: () => clock.now(), pageSize: OPEN_DATA_PAGE_SIZE }),
    us,
    metrics,
  };
  const ensureAdminToken = async (configured: string | undefined) => {
    const result = await accessTokens.ensureAdminToken(configured);
    tokenCache.clear();
    return result;
  };
  /** Stops the simulator's timers (its charging sessions stop advancing); nothing to stop for the other ports. */
  const stopCharger = async () => simulator?.close();
  return { appDeps, ensureAdminToken, pushWorker, stopCharger, ocpiVersion: OCPI_VERSION };
}
