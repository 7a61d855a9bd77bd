import { configSlice, type SettingsOf } from '../config/config-slice';

export const ingestConfig = configSlice({
  name: 'ingest',
  variables: {
    INGEST_MAX_FUTURE_SKEW_S: {
      type: 'integer',
      description: 'how far ahead a device clock may run',
      minimum: 0,
      maximum: 86_400,
      default: 300,
    },
    // A week: a device that was offline for days still delivers its backlog. Up to ten years,
    // for a deliberate backfill through the service.
    INGEST_MAX_AGE_S: {
      type: 'integer',
      description: 'older observations are refused (`too_old`): a stolen credential cannot rewrite history',
      minimum: 60,
      maximum: 315_360_000,
      default: 604_800,
    },
    // Real sensors report every few seconds at most; 10/s with a burst of 100 leaves room for
    // a backlog after a reconnect and still stops a flood.
    INGEST_DEVICE_RATE_PER_S: {
      type: 'number',
      description: "each device's sustained message budget (`rate_limited` beyond it)",
      exclusiveMinimum: 0,
      maximum: 1_000_000,
      default: 10,
    },
    INGEST_DEVICE_BURST: {
      type: 'integer',
      description: "each device's burst above its budget",
      minimum: 1,
      maximum: 10_000_000,
      default: 100,
    },
  },
  settings: (env) => ({
    maxFutureSkewS: env.INGEST_MAX_FUTURE_SKEW_S,
    maxAgeS: env.INGEST_MAX_AGE_S,
    deviceRatePerS: env.INGEST_DEVICE_RATE_PER_S,
    deviceBurst: env.INGEST_DEVICE_BURST,
  }),
});

export type IngestSettings = SettingsOf<typeof ingestConfig>;
