import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import type { Observation } from '@meetnet/contracts';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PipelineEventBus } from '../events/pipeline-events';
import { ROOT_LOGGER } from '../logging/logging.module';
import { observationToPoint } from './observation-point';

/**
 * Batches observations into InfluxDB: a batch goes out when full or after at most
 * INFLUX_FLUSH_INTERVAL_MS, and is flushed on shutdown.
 */
@Injectable()
export class InfluxWriter implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly writeApi: WriteApi;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly events: PipelineEventBus,
  ) {
    this.logger = root.child({ context: InfluxWriter.name });
    const { influx } = config;
    this.writeApi = new InfluxDB({ url: influx.url, token: influx.token, timeout: 10_000 }).getWriteApi(
      influx.org,
      influx.bucket,
      'ms',
      {
        batchSize: influx.batchSize,
        flushInterval: influx.flushIntervalMs,
        maxRetries: 5,
        maxBufferLines: 200_000,
        writeSuccess: (lines) => this.events.emit('storage.written', { points: lines.length }),
        writeFailed: (error, lines, attempt) => {
          const status = error instanceof HttpError ? error.statusCode : undefined;
          this.logger.error({ err: error, status, points: lines.length, attempt }, 'InfluxDB write failed');
          this.events.emit('storage.failed', { points: lines.length, error: error.message, attempt });
          return undefined;
        },
      },
    );
  }

  /** Synchronous hand-off into the current batch. */
  write(observation: Observation): void {
    this.writeApi.writePoint(observationToPoint(observation));
  }

  /** True when InfluxDB answers its health check. */
  async isReachable(): Promise<boolean> {
    try {
      const response = await fetch(new URL('/health', this.config.influx.url), {
        signal: AbortSignal.timeout(2000),
      });
      return response.ok;
    } catch (error) {
      this.logger.debug({ err: error }, 'InfluxDB health check failed');
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.writeApi
      .close()
      .catch((error: unknown) => this.logger.error({ err: error }, 'final flush failed'));
    this.logger.info('InfluxDB writer closed');
  }
}
