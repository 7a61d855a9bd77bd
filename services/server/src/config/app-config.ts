import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { DOMAINS, isRole, type Role } from '@meetnet/contracts';
import {
  DEFAULT_DOMAIN_THRESHOLDS,
  type DomainThresholds,
  type HealthThresholds,
} from '../health/health-thresholds';

/**
 * Every setting the service reads, validated once at start-up. Nothing else in the service
 * reads `process.env`.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  http: {
    host: string;
    port: number;
    /** The built dashboard, served at `/`; absent means API only. */
    dashboardDir: string;
  };
  /** When set, socket.io joins instances through Redis. */
  redisUrl: string | undefined;
  mqtt: {
    /** Unset: an embedded Aedes broker serves on `embeddedPort`. */
    url: string | undefined;
    username: string | undefined;
    password: string | undefined;
    clientId: string;
    /** PEM file of the CA that signed the broker's certificate (mqtts://); unset: the system's CAs. */
    caFile: string | undefined;
    /**
     * MQTT 5 shared-subscription group, for several instances that split the ingest. Unset: a
     * plain subscription, which Mosquitto 2.0.11 keeps across its own restart (it drops `$share`
     * subscriptions, and with them every message published before the service re-subscribes).
     */
    shareGroup: string | undefined;
    sessionExpiryS: number;
    deadLetterPrefix: string;
    embeddedPort: number;
    maxPayloadBytes: number;
  };
  influx: {
    url: string;
    /** May write the bucket and nothing else (ingestion). */
    writeToken: string;
    /** May read the bucket and nothing else (the API). */
    readToken: string;
    org: string;
    bucket: string;
    batchSize: number;
    flushIntervalMs: number;
    timeoutMs: number;
  };
  spool: {
    dir: string;
    maxBytes: number;
    segmentBytes: number;
    fsyncIntervalMs: number;
  };
  ingest: {
    maxFutureSkewS: number;
    /** Older observations are refused (`too_old`): a stolen credential cannot rewrite history. */
    maxAgeS: number;
    /** Each device's sustained budget and burst (`rate_limited` beyond them). */
    deviceRatePerS: number;
    deviceBurst: number;
  };
  auth: {
    sessionSecret: string;
    sessionTtlS: number;
    /** Set when the dashboard is served over https (PUBLIC_URL). */
    cookieSecure: boolean;
    usersFile: string;
    /** The URL people open, such as https://meetnet.leuven.be; OpenID Connect redirects back to it. */
    publicUrl: string | undefined;
    oidc: OidcConfig | undefined;
  };
  health: {
    evaluationIntervalMs: number;
    historyDays: number;
    thresholds: HealthThresholds;
  };
  edge: {
    /** Origins allowed to call the API from a browser; empty: the dashboard's own origin only. */
    corsOrigins: string[];
    readsPerMinute: number;
    loginsPerMinute: number;
    exportsPerMinute: number;
    /** Raw rows one series or export request may make InfluxDB read (estimated, then counted). */
    queryMaxRows: number;
    /** Series and export requests one user may have running at once. */
    queriesPerUser: number;
    bodyLimitBytes: number;
    /**
     * Express's `trust proxy`: how many reverse proxies (or which addresses) to believe in
     * X-Forwarded-For, so rate limits count clients rather than the proxy. False: none.
     */
    trustProxy: boolean | number | string;
  };
  /** On SIGTERM, keep shipping the spool to InfluxDB for at most this long. */
  shutdownDrainS: number;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The sign-in button's label. */
  label: string;
  scopes: string;
  /** The ID-token or userinfo claim that carries roles or groups. */
  rolesClaim: string;
  /** Claim value → Meetnet role; a value that is already a role name maps to itself. */
  roleMap: Record<string, Role>;
}

interface Env {
  NODE_ENV: AppConfig['nodeEnv'];
  LOG_LEVEL: AppConfig['logLevel'];
  HTTP_HOST: string;
  HTTP_PORT: number;
  DASHBOARD_DIR: string;
  REDIS_URL?: string;
  MQTT_URL?: string;
  MQTT_USERNAME?: string;
  MQTT_PASSWORD?: string;
  MQTT_CLIENT_ID: string;
  MQTT_CA_FILE?: string;
  MQTT_SHARE_GROUP?: string;
  MQTT_SESSION_EXPIRY_S: number;
  MQTT_DEAD_LETTER_PREFIX: string;
  MQTT_EMBEDDED_PORT: number;
  MQTT_MAX_PAYLOAD_BYTES: number;
  INFLUX_URL: string;
  INFLUX_WRITE_TOKEN: string;
  INFLUX_READ_TOKEN: string;
  INFLUX_ORG: string;
  INFLUX_BUCKET: string;
  INFLUX_BATCH_SIZE: number;
  INFLUX_FLUSH_INTERVAL_MS: number;
  INFLUX_TIMEOUT_MS: number;
  SPOOL_DIR: string;
  SPOOL_MAX_BYTES: number;
  SPOOL_SEGMENT_BYTES: number;
  SPOOL_FSYNC_INTERVAL_MS: number;
  INGEST_MAX_FUTURE_SKEW_S: number;
  INGEST_MAX_AGE_S: number;
  INGEST_DEVICE_RATE_PER_S: number;
  INGEST_DEVICE_BURST: number;
  TRUST_PROXY?: string;
  SHUTDOWN_DRAIN_S: number;
  SESSION_SECRET?: string;
  SESSION_TTL_S: number;
  USERS_FILE: string;
  PUBLIC_URL?: string;
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  OIDC_CLIENT_SECRET?: string;
  OIDC_LABEL: string;
  OIDC_SCOPES: string;
  OIDC_ROLES_CLAIM: string;
  OIDC_ROLE_MAP?: string;
  CORS_ORIGINS?: string;
  RATE_LIMIT_READS_PER_MIN: number;
  RATE_LIMIT_LOGINS_PER_MIN: number;
  RATE_LIMIT_EXPORTS_PER_MIN: number;
  API_QUERY_MAX_ROWS: number;
  API_QUERIES_PER_USER: number;
  HTTP_BODY_LIMIT_BYTES: number;
  HEALTH_EVAL_INTERVAL_MS: number;
  HEALTH_HISTORY_DAYS: number;
  HEALTH_OFFLINE_FACTOR: number;
  HEALTH_STALE_FACTOR: number;
  HEALTH_FLATLINE_READINGS: number;
  HEALTH_WINDOW_READINGS: number;
  HEALTH_LOW_BATTERY_PCT: number;
  HEALTH_WEAK_SIGNAL_DBM: number;
  HEALTH_CLOCK_SKEW_S: number;
  HEALTH_REJECT_SHARE: number;
  HEALTH_REJECT_MIN_MESSAGES: number;
  HEALTH_DEFAULT_INTERVAL_S: number;
  HEALTH_DOMAIN_THRESHOLDS?: string;
}

const port = { type: 'integer', minimum: 1, maximum: 65_535 } as const;

const ENV_SCHEMA = {
  type: 'object',
  required: ['INFLUX_WRITE_TOKEN', 'INFLUX_READ_TOKEN'],
  properties: {
    // Fail closed: unset means production, which refuses placeholder secrets and the embedded
    // broker. `npm start` says development itself.
    NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'production' },
    LOG_LEVEL: {
      type: 'string',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
    HTTP_HOST: { type: 'string', minLength: 1, default: '0.0.0.0' },
    HTTP_PORT: { ...port, default: 8080 },
    DASHBOARD_DIR: {
      type: 'string',
      minLength: 1,
      default: resolve(__dirname, '../../../../dashboard/dist'),
    },
    REDIS_URL: { type: 'string', pattern: '^rediss?://[^\\s]+$' },
    MQTT_URL: { type: 'string', pattern: '^(mqtts?|wss?)://[^\\s]+$' },
    MQTT_USERNAME: { type: 'string' },
    MQTT_PASSWORD: { type: 'string' },
    MQTT_CLIENT_ID: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]{1,64}$',
      default: `meetnet-ingestion-${hostname()}`.slice(0, 64),
    },
    MQTT_CA_FILE: { type: 'string', minLength: 1 },
    MQTT_SHARE_GROUP: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    // At least an hour, so a restart or a deploy never ends the session; a day by default.
    MQTT_SESSION_EXPIRY_S: { type: 'integer', minimum: 3600, maximum: 4_294_967_295, default: 86_400 },
    MQTT_DEAD_LETTER_PREFIX: {
      type: 'string',
      pattern: '^[^#+\\s]+[^/#+\\s]$',
      default: 'meetnet/_rejected',
    },
    MQTT_EMBEDDED_PORT: { ...port, default: 1883 },
    MQTT_MAX_PAYLOAD_BYTES: { type: 'integer', minimum: 256, maximum: 1_048_576, default: 16_384 },
    INFLUX_URL: { type: 'string', pattern: '^https?://[^\\s]+$', default: 'http://127.0.0.1:8086' },
    INFLUX_WRITE_TOKEN: { type: 'string' },
    INFLUX_READ_TOKEN: { type: 'string' },
    INFLUX_ORG: { type: 'string', minLength: 1, default: 'meetnet' },
    INFLUX_BUCKET: { type: 'string', minLength: 1, default: 'meetnet' },
    INFLUX_BATCH_SIZE: { type: 'integer', minimum: 1, maximum: 100_000, default: 5000 },
    // Data must be queryable within 2 s of publication, so a batch waits at most 1 s.
    INFLUX_FLUSH_INTERVAL_MS: { type: 'integer', minimum: 10, maximum: 1000, default: 1000 },
    INFLUX_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 300_000, default: 10_000 },
    SPOOL_DIR: { type: 'string', minLength: 1, default: '.meetnet/spool' },
    SPOOL_MAX_BYTES: { type: 'integer', minimum: 65_536, default: 1_073_741_824 },
    SPOOL_SEGMENT_BYTES: { type: 'integer', minimum: 4096, maximum: 1_073_741_824, default: 16_777_216 },
    // The issue's bound: a machine crash loses at most this much of what was acknowledged.
    SPOOL_FSYNC_INTERVAL_MS: { type: 'integer', minimum: 1, maximum: 100, default: 100 },
    INGEST_MAX_FUTURE_SKEW_S: { type: 'integer', minimum: 0, maximum: 86_400, default: 300 },
    // A week: a device that was offline for days still delivers its backlog. Up to ten years,
    // for a deliberate backfill through the service.
    INGEST_MAX_AGE_S: { type: 'integer', minimum: 60, maximum: 315_360_000, default: 604_800 },
    // Real sensors report every few seconds at most; 10/s with a burst of 100 leaves room for
    // a backlog after a reconnect and still stops a flood.
    INGEST_DEVICE_RATE_PER_S: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000, default: 10 },
    INGEST_DEVICE_BURST: { type: 'integer', minimum: 1, maximum: 10_000_000, default: 100 },
    // false, true, a hop count, or addresses/subnets (express's `trust proxy` syntax).
    TRUST_PROXY: {
      type: 'string',
      pattern:
        '^(false|true|[0-9]{1,2}|[0-9A-Fa-f:./]+(, *[0-9A-Fa-f:./]+)*|loopback|linklocal|uniquelocal)$',
    },
    SHUTDOWN_DRAIN_S: { type: 'integer', minimum: 0, maximum: 600, default: 10 },
    // Signs session cookies: 32 characters at least (256 bits of base64 or hex).
    SESSION_SECRET: { type: 'string', minLength: 32 },
    // A working day; a stolen cookie is worth at most this long.
    SESSION_TTL_S: { type: 'integer', minimum: 5, maximum: 86_400, default: 28_800 },
    USERS_FILE: { type: 'string', minLength: 1, default: '.meetnet/users.json' },
    PUBLIC_URL: { type: 'string', pattern: '^https?://[^\\s/]+(/[^\\s]*)?$' },
    OIDC_ISSUER: { type: 'string', pattern: '^https?://[^\\s]+$' },
    OIDC_CLIENT_ID: { type: 'string', minLength: 1 },
    OIDC_CLIENT_SECRET: { type: 'string', minLength: 1 },
    OIDC_LABEL: { type: 'string', minLength: 1, maxLength: 80, default: 'Aanmelden met je organisatie' },
    OIDC_SCOPES: { type: 'string', pattern: '^openid( [A-Za-z0-9_:.-]+)*$', default: 'openid profile email' },
    OIDC_ROLES_CLAIM: { type: 'string', pattern: '^[A-Za-z0-9_:./-]+$', default: 'roles' },
    OIDC_ROLE_MAP: { type: 'string', pattern: '^[^=,\\s]+=[a-z]+(,[^=,\\s]+=[a-z]+)*$' },
    CORS_ORIGINS: { type: 'string', pattern: '^https?://[^,\\s]+(,https?://[^,\\s]+)*$' },
    RATE_LIMIT_READS_PER_MIN: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 600 },
    RATE_LIMIT_LOGINS_PER_MIN: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
    RATE_LIMIT_EXPORTS_PER_MIN: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
    // About half a minute of InfluxDB's and the service's time (an export streams ~340,000
    // rows/s, bench/results.md): a month of raw data of 20 sensors reporting every 5 s.
    API_QUERY_MAX_ROWS: { type: 'integer', minimum: 1, maximum: 1_000_000_000, default: 10_000_000 },
    API_QUERIES_PER_USER: { type: 'integer', minimum: 1, maximum: 100, default: 2 },
    HTTP_BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, maximum: 1_048_576, default: 16_384 },
    HEALTH_EVAL_INTERVAL_MS: { type: 'integer', minimum: 100, maximum: 3_600_000, default: 30_000 },
    HEALTH_HISTORY_DAYS: { type: 'integer', minimum: 1, maximum: 3650, default: 30 },
    HEALTH_OFFLINE_FACTOR: { type: 'number', minimum: 1, maximum: 1000, default: 5 },
    HEALTH_STALE_FACTOR: { type: 'number', minimum: 1, maximum: 1000, default: 3 },
    HEALTH_FLATLINE_READINGS: { type: 'integer', minimum: 3, maximum: 1000, default: 12 },
    HEALTH_WINDOW_READINGS: { type: 'integer', minimum: 4, maximum: 1000, default: 20 },
    HEALTH_LOW_BATTERY_PCT: { type: 'number', minimum: 0, maximum: 100, default: 15 },
    HEALTH_WEAK_SIGNAL_DBM: { type: 'number', minimum: -150, maximum: 0, default: -110 },
    HEALTH_CLOCK_SKEW_S: { type: 'integer', minimum: 1, maximum: 86_400, default: 120 },
    HEALTH_REJECT_SHARE: { type: 'number', minimum: 0, maximum: 1, default: 0.2 },
    HEALTH_REJECT_MIN_MESSAGES: { type: 'integer', minimum: 1, maximum: 20, default: 5 },
    HEALTH_DEFAULT_INTERVAL_S: { type: 'integer', minimum: 1, maximum: 86_400, default: 60 },
    // Per-domain overrides, JSON: {"air": {"spikeJump": 80, "plausible": {"no2": [0, 300]}}}
    HEALTH_DOMAIN_THRESHOLDS: { type: 'string', minLength: 2 },
  },
} as const;

const SECRET = /(TOKEN|PASSWORD|SECRET)$/;
const SECRET_NAMES = Object.keys(ENV_SCHEMA.properties).filter((name) => SECRET.test(name));
/** The values .env.example ships with; refused outside development so none reaches production. */
const PLACEHOLDER = /change-?me|placeholder/i;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true });
const validateEnv = ajv.compile<Env>(ENV_SCHEMA);

function describe(error: ErrorObject, given: Record<string, string>): string {
  const name =
    error.keyword === 'required'
      ? String(error.params['missingProperty'])
      : error.instancePath.replace(/^\//, '');
  const raw = given[name];
  const shown = raw === undefined ? '(unset)' : SECRET.test(name) ? '***' : raw;
  const reason =
    error.keyword === 'required'
      ? 'is required'
      : error.keyword === 'enum'
        ? `must be one of ${(error.params['allowedValues'] as string[]).join(', ')}`
        : (error.message ?? 'is invalid');
  return `${name}=${shown}: ${reason}`;
}

/** Reads and validates the settings; throws a ConfigError that names every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv): AppConfig {
  // Only our own variables, and an empty value means unset (as docker-compose writes `X=`).
  const given: Record<string, string> = {};
  for (const key of Object.keys(ENV_SCHEMA.properties)) {
    const value = source[key]?.trim();
    if (value) given[key] = value;
  }
  const problems: string[] = [];
  // Docker secrets and mounted token files: NAME_FILE holds the path of the secret's value.
  for (const name of SECRET_NAMES) {
    const file = source[`${name}_FILE`]?.trim();
    if (!file || given[name]) continue;
    try {
      given[name] = readFileSync(file, 'utf8').trim();
    } catch (error) {
      problems.push(
        `${name}_FILE=${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  // Ajv coerces and fills defaults in place, so it works on a copy of what was given.
  const env: Record<string, unknown> = { ...given };
  if (!validateEnv(env)) {
    throw new ConfigError([...problems, ...(validateEnv.errors ?? []).map((e) => describe(e, given))]);
  }
  problems.push(...crossChecks(env, given));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    http: { host: env.HTTP_HOST, port: env.HTTP_PORT, dashboardDir: resolve(env.DASHBOARD_DIR) },
    redisUrl: env.REDIS_URL,
    mqtt: {
      url: env.MQTT_URL,
      username: env.MQTT_USERNAME,
      password: env.MQTT_PASSWORD,
      clientId: env.MQTT_CLIENT_ID,
      caFile: env.MQTT_CA_FILE === undefined ? undefined : resolve(env.MQTT_CA_FILE),
      shareGroup: env.MQTT_SHARE_GROUP,
      sessionExpiryS: env.MQTT_SESSION_EXPIRY_S,
      deadLetterPrefix: env.MQTT_DEAD_LETTER_PREFIX,
      embeddedPort: env.MQTT_EMBEDDED_PORT,
      maxPayloadBytes: env.MQTT_MAX_PAYLOAD_BYTES,
    },
    influx: {
      url: env.INFLUX_URL,
      writeToken: env.INFLUX_WRITE_TOKEN,
      readToken: env.INFLUX_READ_TOKEN,
      org: env.INFLUX_ORG,
      bucket: env.INFLUX_BUCKET,
      batchSize: env.INFLUX_BATCH_SIZE,
      flushIntervalMs: env.INFLUX_FLUSH_INTERVAL_MS,
      timeoutMs: env.INFLUX_TIMEOUT_MS,
    },
    spool: {
      dir: resolve(env.SPOOL_DIR),
      maxBytes: env.SPOOL_MAX_BYTES,
      segmentBytes: env.SPOOL_SEGMENT_BYTES,
      fsyncIntervalMs: env.SPOOL_FSYNC_INTERVAL_MS,
    },
    ingest: {
      maxFutureSkewS: env.INGEST_MAX_FUTURE_SKEW_S,
      maxAgeS: env.INGEST_MAX_AGE_S,
      deviceRatePerS: env.INGEST_DEVICE_RATE_PER_S,
      deviceBurst: env.INGEST_DEVICE_BURST,
    },
    shutdownDrainS: env.SHUTDOWN_DRAIN_S,
    auth: {
      // Development only (crossChecks refuses a missing secret elsewhere): sessions end at restart.
      sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      sessionTtlS: env.SESSION_TTL_S,
      cookieSecure: env.PUBLIC_URL?.startsWith('https://') ?? false,
      usersFile: resolve(env.USERS_FILE),
      publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
      oidc:
        env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
          ? {
              issuer: env.OIDC_ISSUER,
              clientId: env.OIDC_CLIENT_ID,
              clientSecret: env.OIDC_CLIENT_SECRET,
              label: env.OIDC_LABEL,
              scopes: env.OIDC_SCOPES,
              rolesClaim: env.OIDC_ROLES_CLAIM,
              roleMap: parseRoleMap(env.OIDC_ROLE_MAP),
            }
          : undefined,
    },
    health: {
      evaluationIntervalMs: env.HEALTH_EVAL_INTERVAL_MS,
      historyDays: env.HEALTH_HISTORY_DAYS,
      thresholds: {
        offlineFactor: env.HEALTH_OFFLINE_FACTOR,
        staleFactor: env.HEALTH_STALE_FACTOR,
        flatlineReadings: env.HEALTH_FLATLINE_READINGS,
        windowReadings: env.HEALTH_WINDOW_READINGS,
        lowBatteryPct: env.HEALTH_LOW_BATTERY_PCT,
        weakSignalDbm: env.HEALTH_WEAK_SIGNAL_DBM,
        clockSkewS: env.HEALTH_CLOCK_SKEW_S,
        rejectShare: env.HEALTH_REJECT_SHARE,
        rejectMinMessages: env.HEALTH_REJECT_MIN_MESSAGES,
        defaultIntervalS: env.HEALTH_DEFAULT_INTERVAL_S,
        domains: domainThresholds(env.HEALTH_DOMAIN_THRESHOLDS),
      },
    },
    edge: {
      corsOrigins: env.CORS_ORIGINS?.split(',') ?? [],
      readsPerMinute: env.RATE_LIMIT_READS_PER_MIN,
      loginsPerMinute: env.RATE_LIMIT_LOGINS_PER_MIN,
      exportsPerMinute: env.RATE_LIMIT_EXPORTS_PER_MIN,
      queryMaxRows: env.API_QUERY_MAX_ROWS,
      queriesPerUser: env.API_QUERIES_PER_USER,
      bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
    },
  };
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^[0-9]+$/.test(raw) ? Number(raw) : raw;
}

/** Rules that span variables, each problem naming the variable to fix. */
function crossChecks(env: Env, given: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.SPOOL_MAX_BYTES < 4 * env.SPOOL_SEGMENT_BYTES) {
    // Space comes back a whole segment at a time, so the cap must hold several.
    problems.push(
      `SPOOL_MAX_BYTES=${env.SPOOL_MAX_BYTES}: must be at least 4 × SPOOL_SEGMENT_BYTES (${4 * env.SPOOL_SEGMENT_BYTES})`,
    );
  }
  if (env.NODE_ENV !== 'development') {
    for (const name of SECRET_NAMES) {
      if (PLACEHOLDER.test(given[name] ?? '')) {
        problems.push(`${name}=***: is the placeholder from .env.example; set a real secret`);
      }
    }
    if (!env.SESSION_SECRET) problems.push('SESSION_SECRET=(unset): is required outside development');
  }
  if (env.MQTT_CA_FILE !== undefined) {
    try {
      readFileSync(env.MQTT_CA_FILE);
    } catch (error) {
      problems.push(
        `MQTT_CA_FILE=${env.MQTT_CA_FILE}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (env.NODE_ENV === 'production' && !env.MQTT_URL) {
    problems.push('MQTT_URL=(unset): is required in production (the embedded broker has no accounts)');
  }
  if (env.INFLUX_WRITE_TOKEN === env.INFLUX_READ_TOKEN && env.NODE_ENV === 'production') {
    problems.push(
      'INFLUX_READ_TOKEN=***: must differ from INFLUX_WRITE_TOKEN (one may only write, one only read)',
    );
  }
  const oidcParts = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const oidcSet = oidcParts.filter((name) => given[name] !== undefined);
  if (oidcSet.length > 0 && oidcSet.length < oidcParts.length) {
    for (const name of oidcParts.filter((n) => given[n] === undefined)) {
      problems.push(`${name}=(unset): is required with ${oidcSet.join(', ')}`);
    }
  }
  if (oidcSet.length > 0 && !env.PUBLIC_URL) {
    problems.push('PUBLIC_URL=(unset): is required with OpenID Connect (the provider redirects back to it)');
  }
  if (env.HEALTH_DOMAIN_THRESHOLDS !== undefined) {
    const overrides = parseJson(env.HEALTH_DOMAIN_THRESHOLDS);
    if (!validateDomainOverrides(overrides)) {
      const error = validateDomainOverrides.errors?.[0];
      problems.push(
        `HEALTH_DOMAIN_THRESHOLDS=${env.HEALTH_DOMAIN_THRESHOLDS}: ${error ? `${error.instancePath || 'value'} ${error.message}` : 'not JSON'}`,
      );
    }
  }
  for (const pair of env.OIDC_ROLE_MAP?.split(',') ?? []) {
    const role = pair.split('=')[1];
    if (!isRole(role)) problems.push(`OIDC_ROLE_MAP=${env.OIDC_ROLE_MAP}: "${role}" is not a Meetnet role`);
  }
  return problems;
}

function parseRoleMap(raw: string | undefined): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of raw?.split(',') ?? []) {
    const [claim, role] = pair.split('=') as [string, string];
    if (isRole(role)) map[claim] = role;
  }
  return map;
}

type DomainOverrides = Partial<Record<string, Partial<DomainThresholds>>>;

const range = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;
const validateDomainOverrides = ajv.compile<DomainOverrides>({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    DOMAINS.map((domain) => [
      domain,
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          primaryField: { type: 'string', enum: Object.keys(DEFAULT_DOMAIN_THRESHOLDS[domain].plausible) },
          plausible: { type: 'object', additionalProperties: range },
          spikeJump: { type: 'number', exclusiveMinimum: 0 },
          driftDelta: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    ]),
  ),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function domainThresholds(raw: string | undefined): HealthThresholds['domains'] {
  const overrides = (raw === undefined ? {} : parseJson(raw)) as DomainOverrides;
  return Object.fromEntries(
    DOMAINS.map((domain) => {
      const base = DEFAULT_DOMAIN_THRESHOLDS[domain];
      const own = overrides[domain] ?? {};
      return [domain, { ...base, ...own, plausible: { ...base.plausible, ...own.plausible } }];
    }),
  ) as HealthThresholds['domains'];
}
