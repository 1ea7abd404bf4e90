import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Bool = (fallback: 'true' | 'false') => Type.Union([Type.Literal('true'), Type.Literal('false')], { default: fallback });
const PrintableToken = Type.String({ pattern: '^[\\x21-\\x7E]{16,64}$' });

const EnvSchema = Type.Object({
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  HOST: Type.String({ default: '0.0.0.0', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 200 })),
  OCPI_COUNTRY_CODE: Type.String({ default: 'NL', pattern: '^[A-Za-z]{2}$' }),
  OCPI_PARTY_ID: Type.String({ default: 'CPO', pattern: '^[A-Za-z0-9]{3}$' }),
  OCPI_BUSINESS_NAME: Type.String({ default: 'OCPI CPO Node', minLength: 1, maxLength: 100 }),
  ADMIN_TOKEN: Type.Optional(PrintableToken),
  OPEN_DATA: Bool('true'),
  METRICS_PUBLIC: Bool('false'),
  LOG_LEVEL: Type.Union(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'].map((l) => Type.Literal(l)), {
    default: 'info',
  }),
  BODY_LIMIT: Type.String({ default: '1mb', pattern: '^[0-9]+(b|kb|mb)$' }),
  DB_POOL_SIZE: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  PARTNER_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 120000 }),
  AUTHORIZE_TIMEOUT_MS: Type.Integer({ default: 3000, minimum: 100, maximum: 60000 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 120000 }),
  MAX_PAGE_SIZE: Type.Integer({ default: 100, minimum: 1, maximum: 1000 }),
  OPEN_DATA_RATE_LIMIT: Type.Integer({ default: 120, minimum: 1, maximum: 1000000 }),
  MAP_TILES_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/?#]+/[^\\s]*$', maxLength: 500 })),
  MAP_TILES_ATTRIBUTION: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  OPEN_DATA_RATE_WINDOW_MS: Type.Integer({ default: 60000, minimum: 1000, maximum: 3600000 }),
  TOKEN_CACHE_TTL_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 60000 }),
  PUSH_ENABLED: Bool('true'),
  TOKENS_PULL_ON_REGISTER: Bool('true'),
  PUSH_CONCURRENCY: Type.Integer({ default: 128, minimum: 1, maximum: 1024 }),
  PUSH_PER_PARTNER_CONCURRENCY: Type.Integer({ default: 16, minimum: 1, maximum: 256 }),
  PUSH_POLL_INTERVAL_MS: Type.Integer({ default: 250, minimum: 10, maximum: 60000 }),
  PUSH_MAX_ATTEMPTS: Type.Integer({ default: 10, minimum: 1, maximum: 1000 }),
  PUSH_MAX_AGE_MS: Type.Integer({ default: 3600000, minimum: 1000 }),
  PUSH_CDR_MAX_AGE_MS: Type.Integer({ default: 604800000, minimum: 1000 }),
  PUSH_BACKOFF_BASE_MS: Type.Integer({ default: 1000, minimum: 10, maximum: 600000 }),
  PUSH_BACKOFF_MAX_MS: Type.Integer({ default: 300000, minimum: 10, maximum: 86400000 }),
  PUSH_UNREACHABLE_AFTER: Type.Integer({ default: 3, minimum: 1, maximum: 1000 }),
  CHARGER_PORT: Type.Optional(Type.Union([Type.Literal('simulator'), Type.Literal('webhook'), Type.Literal('none')])),
  CSMS_WEBHOOK_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 })),
  COMMAND_TIMEOUT_S: Type.Integer({ default: 60, minimum: 1, maximum: 3600 }),
  SIMULATOR_SPEED: Type.Integer({ default: 1, minimum: 1, maximum: 86400 }),
  TRUST_PROXY: Type.String({ default: 'false', pattern: '^(true|false|[0-9]{1,2}|[0-9a-fA-F.:/, ]+)$' }),
});

type Env = Static<typeof EnvSchema>;

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  party: { countryCode: string; partyId: string; businessName: string };
  adminToken: string | undefined;
  openData: boolean;
  /** `GET /metrics` open to anonymous callers (otherwise admin token only). */
  metricsPublic: boolean;
  logLevel: string;
  bodyLimit: string;
  dbPoolSize: number;
  partnerTimeoutMs: number;
  /** Bound of one real-time authorization call (the driver waits at the charger). */
  authorizeTimeoutMs: number;
  shutdownTimeoutMs: number;
  maxPageSize: number;
  openDataRateLimit: { limit: number; windowMs: number };
  /** The public map's tile layer (a Leaflet URL template); no URL: a plain background. */
  mapTiles: { url: string | undefined; attribution: string | undefined };
  /** Express `trust proxy`: false, true, a hop count, or addresses/subnets of the proxies. */
  trustProxy: boolean | number | string;
  tokenCacheTtlMs: number;
  /** Pull a partner's tokens (its Tokens SENDER list) in the background right after it registers. */
  tokensPullOnRegister: boolean;
  /**
   * Where commands go (ARCHITECTURE §9): `simulator` (the default when neither CHARGER_PORT nor
   * CSMS_WEBHOOK_URL is set) answers them with the built-in charge point model; `webhook` (the default when
   * CSMS_WEBHOOK_URL is set) POSTs them to `webhookUrl`; `none` answers every command NOT_SUPPORTED.
   * `commandTimeoutS`: how long the CSMS has to report an outcome before the eMSP gets TIMEOUT (also the
   * CommandResponse's `timeout`). `simulatorSpeed`: how many simulated seconds one real second is.
   */
  charger: { port: 'simulator' | 'webhook' | 'none'; webhookUrl: string | undefined; commandTimeoutS: number; simulatorSpeed: number };
  push: {
    enabled: boolean;
    concurrency: number;
    perPartnerConcurrency: number;
    pollIntervalMs: number;
    maxAttempts: number;
    maxAgeMs: number;
    /** How long a CDR's delivery is retried (no attempt limit): a CDR is money. */
    cdrMaxAgeMs: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    /** Consecutive transport failures after which a partner is unreachable: paused and probed. */
    unreachableAfter: number;
  };
}

export class ConfigError extends Error {}

/** The only reader of process.env: every bad variable is named in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = Value.Convert(EnvSchema, Value.Default(EnvSchema, { ...raw }));
  const errors = [...Value.Errors(EnvSchema, parsed)].map((e) => e.path.slice(1));
  // Convert would turn "80.5" or "1e3" into some integer; whole numbers must be written as such.
  const notWhole = INTEGER_KEYS.filter((key) => raw[key] !== undefined && !/^[0-9]+$/.test(String(raw[key])));
  // The webhook port needs somewhere to send commands.
  const missing = raw.CHARGER_PORT === 'webhook' && raw.CSMS_WEBHOOK_URL === undefined ? ['CSMS_WEBHOOK_URL'] : [];
  if (errors.length > 0 || notWhole.length > 0 || missing.length > 0) {
    const names = [...new Set([...errors, ...notWhole, ...missing])];
    const details = names.map((name) => `${name}=${describe(name, raw[name])}`).join(', ');
    throw new ConfigError(`invalid configuration: ${details}`);
  }
  return deepFreeze(toConfig(parsed as Env));
}

const INTEGER_KEYS = Object.entries(EnvSchema.properties)
  .filter(([, schema]) => (schema as { type?: string }).type === 'integer')
  .map(([key]) => key);

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}

function describe(name: string, value: unknown): string {
  if (value === undefined) return '(missing)';
  return name.includes('TOKEN') || name.includes('DATABASE_URL') ? '(invalid, value hidden)' : JSON.stringify(value);
}

function toConfig(env: Env): Config {
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    host: env.HOST,
    port: env.PORT,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    party: {
      countryCode: env.OCPI_COUNTRY_CODE.toUpperCase(),
      partyId: env.OCPI_PARTY_ID.toUpperCase(),
      businessName: env.OCPI_BUSINESS_NAME,
    },
    adminToken: env.ADMIN_TOKEN,
    openData: env.OPEN_DATA === 'true',
    metricsPublic: env.METRICS_PUBLIC === 'true',
    logLevel: env.LOG_LEVEL,
    bodyLimit: env.BODY_LIMIT,
    dbPoolSize: env.DB_POOL_SIZE,
    partnerTimeoutMs: env.PARTNER_TIMEOUT_MS,
    authorizeTimeoutMs: env.AUTHORIZE_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    maxPageSize: env.MAX_PAGE_SIZE,
    openDataRateLimit: { limit: env.OPEN_DATA_RATE_LIMIT, windowMs: env.OPEN_DATA_RATE_WINDOW_MS },
    mapTiles: { url: env.MAP_TILES_URL, attribution: env.MAP_TILES_ATTRIBUTION },
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    tokenCacheTtlMs: env.TOKEN_CACHE_TTL_MS,
    tokensPullOnRegister: env.TOKENS_PULL_ON_REGISTER === 'true',
    charger: {
      port: env.CHARGER_PORT ?? (env.CSMS_WEBHOOK_URL === undefined ? 'simulator' : 'webhook'),
      webhookUrl: env.CSMS_WEBHOOK_URL,
      commandTimeoutS: env.COMMAND_TIMEOUT_S,
      simulatorSpeed: env.SIMULATOR_SPEED,
    },
    push: {
      enabled: env.PUSH_ENABLED === 'true',
      concurrency: env.PUSH_CONCURRENCY,
      perPartnerConcurrency: env.PUSH_PER_PARTNER_CONCURRENCY,
      pollIntervalMs: env.PUSH_POLL_INTERVAL_MS,
      maxAttempts: env.PUSH_MAX_ATTEMPTS,
      maxAgeMs: env.PUSH_MAX_AGE_MS,
      cdrMaxAgeMs: env.PUSH_CDR_MAX_AGE_MS,
      backoffBaseMs: env.PUSH_BACKOFF_BASE_MS,
      backoffMaxMs: env.PUSH_BACKOFF_MAX_MS,
      unreachableAfter: env.PUSH_UNREACHABLE_AFTER,
    },
  };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^[0-9]+$/.test(value) ? Number(value) : value;
}

const CliEnvSchema = Type.Object({
  OCPI_NODE_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 200 })),
  PORT: EnvSchema.properties.PORT,
  ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 1 })),
});

/** What the command-line client needs to reach a running node: not the node's own configuration. */
export interface CliConfig {
  nodeUrl: string;
  adminToken: string | undefined;
}

/** The command-line client's variables only (the node's full validation is not its business). */
export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): Readonly<CliConfig> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(CliEnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = Value.Convert(CliEnvSchema, Value.Default(CliEnvSchema, raw));
  const bad = [...Value.Errors(CliEnvSchema, parsed)].map((e) => e.path.slice(1));
  if (raw.PORT !== undefined && !/^[0-9]+$/.test(String(raw.PORT))) bad.push('PORT');
  if (bad.length > 0) {
    const names = [...new Set(bad)];
    throw new ConfigError(`invalid configuration: ${names.map((name) => `${name}=${describe(name, raw[name])}`).join(', ')}`);
  }
  const cli = parsed as Static<typeof CliEnvSchema>;
  return Object.freeze({ nodeUrl: (cli.OCPI_NODE_URL ?? `http://localhost:${cli.PORT}`).replace(/\/+$/, ''), adminToken: cli.ADMIN_TOKEN });
}
