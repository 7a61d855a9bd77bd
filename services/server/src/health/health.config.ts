import Ajv from 'ajv';
import { DOMAINS } from '@meetnet/contracts';
import { configSlice, type SettingsOf } from '../config/config-slice';
import { DEFAULT_DOMAIN_THRESHOLDS, type DomainThresholds, type HealthThresholds } from './health-thresholds';

type DomainOverrides = Partial<Record<string, Partial<DomainThresholds>>>;

const range = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;
const validateDomainOverrides = new Ajv({ strict: true }).compile<DomainOverrides>({
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

const factor = (description: string, value: number) =>
  ({ type: 'number', description, minimum: 1, maximum: 1000, default: value }) as const;

export const healthConfig = configSlice({
  name: 'health',
  variables: {
    HEALTH_EVAL_INTERVAL_MS: {
      type: 'integer',
      description: 'how often the health rules run over every sensor',
      minimum: 100,
      maximum: 3_600_000,
      default: 30_000,
    },
    HEALTH_HISTORY_DAYS: {
      type: 'integer',
      description: "how far back a sensor's problem history reaches",
      minimum: 1,
      maximum: 3650,
      default: 30,
    },
    HEALTH_OFFLINE_FACTOR: factor('silent (no message at all) for this many intervals: offline', 5),
    HEALTH_STALE_FACTOR: factor('no observation for this many intervals, while still talking: stale', 3),
    HEALTH_FLATLINE_READINGS: {
      type: 'integer',
      description: 'this many identical readings of the primary field in a row: flat-lining',
      minimum: 3,
      maximum: 1000,
      default: 12,
    },
    HEALTH_WINDOW_READINGS: {
      type: 'integer',
      description: 'readings a spike stays reported, and the span drift is measured over',
      minimum: 4,
      maximum: 1000,
      default: 20,
    },
    HEALTH_LOW_BATTERY_PCT: {
      type: 'number',
      description: 'battery below this: low battery',
      minimum: 0,
      maximum: 100,
      default: 15,
    },
    HEALTH_WEAK_SIGNAL_DBM: {
      type: 'number',
      description: 'signal below this: weak signal',
      minimum: -150,
      maximum: 0,
      default: -110,
    },
    HEALTH_CLOCK_SKEW_S: {
      type: 'integer',
      description: "a device clock this far off the service's: clock skew",
      minimum: 1,
      maximum: 86_400,
      default: 120,
    },
    HEALTH_REJECT_SHARE: {
      type: 'number',
      description: "share of a sensor's recent messages refused: sends bad data",
      minimum: 0,
      maximum: 1,
      default: 0.2,
    },
    HEALTH_REJECT_MIN_MESSAGES: {
      type: 'integer',
      description: 'refused messages needed before that share counts',
      minimum: 1,
      maximum: 20,
      default: 5,
    },
    HEALTH_DEFAULT_INTERVAL_S: {
      type: 'integer',
      description: "assumed reporting interval until a sensor's meta says otherwise",
      minimum: 1,
      maximum: 86_400,
      default: 60,
    },
    HEALTH_DOMAIN_THRESHOLDS: {
      type: 'string',
      description:
        'per-domain overrides, JSON: `{"air": {"spikeJump": 80, "plausible": {"no2": [0, 300]}}}`; unset: each domain spec\'s own',
      minLength: 2,
    },
  },
  check: (env) => {
    if (env.HEALTH_DOMAIN_THRESHOLDS === undefined) return [];
    if (validateDomainOverrides(parseJson(env.HEALTH_DOMAIN_THRESHOLDS))) return [];
    const error = validateDomainOverrides.errors?.[0];
    return [
      `HEALTH_DOMAIN_THRESHOLDS=${env.HEALTH_DOMAIN_THRESHOLDS}: ${error ? `${error.instancePath || 'value'} ${error.message}` : 'not JSON'}`,
    ];
  },
  settings: (env) => ({
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
    } satisfies HealthThresholds,
  }),
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

export type HealthSettings = SettingsOf<typeof healthConfig>;
