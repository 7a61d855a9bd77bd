import { type ServiceInstance, startService } from './service';
import type { TestStack } from './test-stack';
import { waitFor } from './wait-for';

const HOUR = 3_600_000;

/** A rollup job that runs every second, rolls up hours `settleS` after they end, and backfills this far. */
export const rollupsEvery = (settleS: number, backfillDays: number): Record<string, string> => ({
  ROLLUPS_INTERVAL_MS: '1000',
  ROLLUPS_SETTLE_S: String(settleS),
  ROLLUPS_BACKFILL_DAYS: String(backfillDays),
});

/**
 * The stack's service again, with more settings (such as the rollup job on): data a test wrote
 * straight into InfluxDB is then there before the job's first run.
 */
export async function restartService(
  stack: TestStack,
  env: Record<string, string>,
  whileStopped?: () => Promise<void>,
): Promise<void> {
  await stack.service.stop();
  await whileStopped?.();
  stack.service = await startService({
    MQTT_URL: stack.broker.url,
    INFLUX_URL: stack.influxUrl,
    INFLUX_BUCKET: stack.bucket,
    ...env,
  });
}

/** Until the service's rollup job says every hour before `hourly` (and day before `daily`) is rolled up. */
export function rolledUpThrough(
  service: ServiceInstance,
  through: { hourly: number; daily?: number },
  timeoutMs = 60_000,
): Promise<true> {
  return waitFor(
    'the rollup job to catch up',
    async () => {
      const hourly = (await service.metric('meetnet_rollups_hourly_through_seconds')) * 1000;
      const daily = (await service.metric('meetnet_rollups_daily_through_seconds')) * 1000;
      return (hourly >= through.hourly && daily >= (through.daily ?? hourly - 25 * HOUR)) || undefined;
    },
    timeoutMs,
    500,
  );
}
