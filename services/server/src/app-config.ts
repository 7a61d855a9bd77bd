import { alertsConfig } from './alerts/alerts.config';
import { rollupsConfig } from './rollups/rollups.config';
import { authConfig } from './auth/auth.config';
import { type ConfigOf, loadConfig } from './config/config-loader';
import { configTableMarkdown } from './config/config-table';
import { healthConfig } from './health/health.config';
import { httpConfig } from './http.config';
import { influxConfig } from './influx/influx.config';
import { ingestConfig } from './ingestion/ingestion.config';
import { liveConfig } from './live/live.config';
import { loggingConfig } from './logging/logging.config';
import { mqttConfig } from './mqtt/mqtt.config';
import { openDataConfig } from './opendata/open-data.config';
import { publicConfig } from './public/public.config';
import { seriesConfig } from './series/series.config';
import { sourcesConfig } from './sources/sources.config';
import { spoolConfig } from './storage/storage.config';

/**
 * Every module's slice of the configuration, in the order their problems are listed. Nothing
 * else in the service reads `process.env`.
 */
export const CONFIG_SLICES = [
  loggingConfig,
  httpConfig,
  liveConfig,
  authConfig,
  mqttConfig,
  influxConfig,
  spoolConfig,
  ingestConfig,
  seriesConfig,
  healthConfig,
  sourcesConfig,
  publicConfig,
  openDataConfig,
  alertsConfig,
  rollupsConfig,
] as const;

/** Every setting the service reads, validated once at start-up; each part is its module's. */
export type AppConfig = ConfigOf<typeof CONFIG_SLICES>;

export function loadAppConfig(source: NodeJS.ProcessEnv): AppConfig {
  return loadConfig(CONFIG_SLICES, source);
}

export function appConfigTable(): string {
  return configTableMarkdown(CONFIG_SLICES);
}
