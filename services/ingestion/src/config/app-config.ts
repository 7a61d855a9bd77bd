import { hostname } from 'node:os';
import { resolve } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';

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
    token: string;
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
  ingest: { maxFutureSkewS: number };
  /** On SIGTERM, keep shipping the spool to InfluxDB for at most this long. */
  shutdownDrainS: number;
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
  MQTT_SHARE_GROUP?: string;
  MQTT_SESSION_EXPIRY_S: number;
  MQTT_DEAD_LETTER_PREFIX: string;
  MQTT_EMBEDDED_PORT: number;
  MQTT_MAX_PAYLOAD_BYTES: number;
  INFLUX_URL: string;
  INFLUX_TOKEN: string;
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
  SHUTDOWN_DRAIN_S: number;
}

const port = { type: 'integer', minimum: 1, maximum: 65_535 } as const;

const ENV_SCHEMA = {
  type: 'object',
  required: ['INFLUX_TOKEN'],
  properties: {
    NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'development' },
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
    INFLUX_TOKEN: { type: 'string' },
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
    SHUTDOWN_DRAIN_S: { type: 'integer', minimum: 0, maximum: 600, default: 10 },
  },
} as const;

const SECRET = /(TOKEN|PASSWORD|SECRET)$/;

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
  // Ajv coerces and fills defaults in place, so it works on a copy of what was given.
  const env: Record<string, unknown> = { ...given };
  if (!validateEnv(env)) {
    throw new ConfigError((validateEnv.errors ?? []).map((e) => describe(e, given)));
  }
  if (env.SPOOL_MAX_BYTES < 4 * env.SPOOL_SEGMENT_BYTES) {
    // Space comes back a whole segment at a time, so the cap must hold several.
    throw new ConfigError([
      `SPOOL_MAX_BYTES=${env.SPOOL_MAX_BYTES}: must be at least 4 × SPOOL_SEGMENT_BYTES (${4 * env.SPOOL_SEGMENT_BYTES})`,
    ]);
  }
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
      shareGroup: env.MQTT_SHARE_GROUP,
      sessionExpiryS: env.MQTT_SESSION_EXPIRY_S,
      deadLetterPrefix: env.MQTT_DEAD_LETTER_PREFIX,
      embeddedPort: env.MQTT_EMBEDDED_PORT,
      maxPayloadBytes: env.MQTT_MAX_PAYLOAD_BYTES,
    },
    influx: {
      url: env.INFLUX_URL,
      token: env.INFLUX_TOKEN,
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
    ingest: { maxFutureSkewS: env.INGEST_MAX_FUTURE_SKEW_S },
    shutdownDrainS: env.SHUTDOWN_DRAIN_S,
  };
}
