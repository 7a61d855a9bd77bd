import { configSlice, type SettingsOf } from '../config/config-slice';

/** `meetnet/autogen` → `meetnet/rollup_1h` on InfluxDB 1.8; `meetnet` → `meetnet_rollup_1h` on 2.7. */
export function rollupBucketOf(rawBucket: string, tier: '1h' | '1d'): string {
  const slash = rawBucket.indexOf('/');
  return slash === -1 ? `${rawBucket}_rollup_${tier}` : `${rawBucket.slice(0, slash)}/rollup_${tier}`;
}

export const rollupsConfig = configSlice({
  name: 'rollups',
  variables: {
    ROLLUPS_HOURLY_BUCKET: {
      type: 'string',
      description:
        'where the hourly rollups go (kept forever); default: `<database>/rollup_1h` on InfluxDB 1.8, `<bucket>_rollup_1h` on 2.7 (docs/long-term-data.md)',
      minLength: 1,
    },
    ROLLUPS_DAILY_BUCKET: {
      type: 'string',
      description: 'where the daily rollups (Brussels days) go; default as for hourly, with `rollup_1d`',
      minLength: 1,
    },
    ROLLUPS_INTERVAL_MS: {
      type: 'integer',
      description:
        'how often the rollup job rolls up the hours that have ended and those late data changed; 0: never (no rollups, every query reads raw)',
      minimum: 0,
      maximum: 3_600_000,
      default: 60_000,
    },
    ROLLUPS_SETTLE_S: {
      type: 'integer',
      description:
        'an hour is rolled up this long after it ends; readings that come later (LoRaWAN, a spool draining) make it roll up again',
      minimum: 0,
      maximum: 86_400,
      default: 120,
    },
    ROLLUPS_BACKFILL_DAYS: {
      type: 'integer',
      description:
        'on the first start, rollups are made of the raw data this far back (the raw retention: older raw data is gone)',
      minimum: 1,
      maximum: 3660,
      default: 400,
    },
    ROLLUPS_LATE_FILE: {
      type: 'string',
      description:
        'the hours that late data changed and that wait to be rolled up again, kept across a restart (one instance; with Redis they are kept there)',
      minLength: 1,
      default: '.meetnet/rollup-late-hours',
    },
  },
  required: [],
  settings: (env) => ({
    /** Unset: derived from INFLUX_BUCKET by rollupBucketOf. */
    hourlyBucket: env.ROLLUPS_HOURLY_BUCKET,
    dailyBucket: env.ROLLUPS_DAILY_BUCKET,
    intervalMs: env.ROLLUPS_INTERVAL_MS,
    settleMs: env.ROLLUPS_SETTLE_S * 1000,
    backfillDays: env.ROLLUPS_BACKFILL_DAYS,
    lateFile: env.ROLLUPS_LATE_FILE,
  }),
});

export type RollupsSettings = SettingsOf<typeof rollupsConfig>;
