import { configSlice, type SettingsOf } from '../config/config-slice';

export const influxConfig = configSlice({
  name: 'influx',
  variables: {
    INFLUX_URL: {
      type: 'string',
      description: 'InfluxDB 2.7 or 1.8',
      pattern: '^https?://[^\\s]+$',
      default: 'http://127.0.0.1:8086',
    },
    INFLUX_WRITE_TOKEN: {
      type: 'string',
      description: 'may only write the bucket (ingestion); `user:password` on InfluxDB 1.8',
    },
    INFLUX_READ_TOKEN: {
      type: 'string',
      description: 'may only read the bucket (the API); must differ from the write token in production',
    },
    INFLUX_ORG: { type: 'string', description: 'ignored by InfluxDB 1.8', minLength: 1, default: 'meetnet' },
    INFLUX_BUCKET: {
      type: 'string',
      description: 'on InfluxDB 1.8: `database/retention-policy`, e.g. `meetnet/autogen`',
      minLength: 1,
      default: 'meetnet',
    },
    INFLUX_BATCH_SIZE: {
      type: 'integer',
      description: 'points per write',
      minimum: 1,
      maximum: 100_000,
      default: 5000,
    },
    // Data must be queryable within 2 s of publication, so a batch waits at most 1 s.
    INFLUX_FLUSH_INTERVAL_MS: {
      type: 'integer',
      description: 'a batch waits at most this long (≤ 1000)',
      minimum: 10,
      maximum: 1000,
      default: 1000,
    },
    INFLUX_TIMEOUT_MS: {
      type: 'integer',
      description: 'a write or an export query that takes longer is retried or ended',
      minimum: 100,
      maximum: 300_000,
      default: 10_000,
    },
  },
  required: ['INFLUX_WRITE_TOKEN', 'INFLUX_READ_TOKEN'],
  check: (env, { nodeEnv }) =>
    env.INFLUX_WRITE_TOKEN === env.INFLUX_READ_TOKEN && nodeEnv === 'production'
      ? ['INFLUX_READ_TOKEN=***: must differ from INFLUX_WRITE_TOKEN (one may only write, one only read)']
      : [],
  settings: (env) => ({
    url: env.INFLUX_URL,
    /** May write the bucket and nothing else (ingestion). */
    writeToken: env.INFLUX_WRITE_TOKEN,
    /** May read the bucket and nothing else (the API). */
    readToken: env.INFLUX_READ_TOKEN,
    org: env.INFLUX_ORG,
    bucket: env.INFLUX_BUCKET,
    batchSize: env.INFLUX_BATCH_SIZE,
    flushIntervalMs: env.INFLUX_FLUSH_INTERVAL_MS,
    timeoutMs: env.INFLUX_TIMEOUT_MS,
  }),
});

export type InfluxSettings = SettingsOf<typeof influxConfig>;
