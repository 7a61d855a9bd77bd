import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { authConfig } from '../auth/auth.config';
import { healthConfig } from '../health/health.config';
import { httpConfig } from '../http.config';
import { influxConfig } from '../influx/influx.config';
import { ingestConfig } from '../ingestion/ingestion.config';
import { liveConfig } from '../live/live.config';
import { loggingConfig } from '../logging/logging.config';
import { mqttConfig } from '../mqtt/mqtt.config';
import { seriesConfig } from '../series/series.config';
import { spoolConfig } from '../storage/storage.config';
import { schemaProblem } from '../validation/schema-problem';
import { type CheckContext, configSlice, type SettingsOf, unreadable, type Variables } from './config-slice';

/** The loader's own variable: which rules apply. */
const runtimeConfig = configSlice({
  variables: {
    // Fail closed: unset means production, which refuses placeholder secrets and the embedded
    // broker. `npm start` says development itself.
    NODE_ENV: {
      type: 'string',
      description: 'unset means production: placeholder secrets and the embedded broker are refused',
      enum: ['development', 'production', 'test'],
      default: 'production',
    },
  },
  settings: (env) => env.NODE_ENV,
});

/**
 * Every module's slice, in the order their problems are listed. Nothing else in the service
 * reads `process.env`.
 */
export const CONFIG_SLICES = {
  nodeEnv: runtimeConfig,
  logging: loggingConfig,
  http: httpConfig,
  live: liveConfig,
  auth: authConfig,
  mqtt: mqttConfig,
  influx: influxConfig,
  spool: spoolConfig,
  ingest: ingestConfig,
  series: seriesConfig,
  health: healthConfig,
} as const;

type Slices = typeof CONFIG_SLICES;

/** Every setting the service reads, validated once at start-up; each part is its module's. */
export type AppConfig = { readonly [K in keyof Slices]: SettingsOf<Slices[K]> };

/** A slice as the loader sees it: the merged schema has checked every variable's type already. */
interface LoadedSlice {
  variables: Variables;
  required?: readonly string[];
  check?: (env: never, context: CheckContext) => string[];
  settings: (env: never) => unknown;
}

const SLICES = Object.entries(CONFIG_SLICES) as unknown as Array<[keyof Slices, LoadedSlice]>;
const VARIABLES = Object.assign({}, ...SLICES.map(([, slice]) => slice.variables)) as Variables;

const SECRET = /(TOKEN|PASSWORD|SECRET)$/;
const SECRET_NAMES = Object.keys(VARIABLES).filter((name) => SECRET.test(name));
/** The values .env.example ships with; refused outside development so none reaches production. */
const PLACEHOLDER = /change-?me|placeholder/i;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const validateEnv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true }).compile<
  Record<string, unknown>
>({
  type: 'object',
  required: SLICES.flatMap(([, slice]) => slice.required ?? []),
  properties: Object.fromEntries(
    Object.entries(VARIABLES).map(([name, { shownDefault: _shown, ...schema }]) => [name, schema]),
  ),
});

/** Reads and validates the settings; throws a ConfigError that names every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv): AppConfig {
  // Only our own variables, and an empty value means unset (as docker-compose writes `X=`).
  const given: Record<string, string> = {};
  for (const key of Object.keys(VARIABLES)) {
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
      problems.push(unreadable(`${name}_FILE`, file, error));
    }
  }
  // Ajv coerces and fills defaults in place, so it works on a copy of what was given.
  const env: Record<string, unknown> = { ...given };
  if (!validateEnv(env)) {
    throw new ConfigError([
      ...problems,
      ...(validateEnv.errors ?? []).map((error) => {
        const { name, reason } = schemaProblem(error, 'environment');
        const raw = given[name];
        return `${name}=${raw === undefined ? '(unset)' : SECRET.test(name) ? '***' : raw}: ${reason}`;
      }),
    ]);
  }
  const context: CheckContext = { nodeEnv: env['NODE_ENV'] as CheckContext['nodeEnv'], given };
  if (context.nodeEnv !== 'development') {
    for (const name of SECRET_NAMES) {
      if (PLACEHOLDER.test(given[name] ?? '')) {
        problems.push(`${name}=***: is the placeholder from .env.example; set a real secret`);
      }
    }
  }
  for (const [, slice] of SLICES) problems.push(...(slice.check?.(env as never, context) ?? []));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.fromEntries(SLICES.map(([key, slice]) => [key, slice.settings(env as never)])) as AppConfig;
}
