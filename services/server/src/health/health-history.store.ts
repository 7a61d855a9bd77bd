import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  flux,
  fluxDateTime,
  InfluxDB,
  Point,
  type QueryApi,
  type WriteApi,
} from '@influxdata/influxdb-client';
import { type HealthChange, isProblem, parseDeviceAddress, type Problem } from '@meetnet/contracts';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ROOT_LOGGER } from '../logging/logging.module';

const MEASUREMENT = 'sensor_health';

export interface StoredProblem {
  key: string;
  problem: Problem;
  since: number;
  detail: string;
}

interface HealthRow {
  _time: string;
  city: string;
  domain: string;
  sensor_id: string;
  problem: string;
  active?: number;
  detail?: string;
}

/**
 * Problem starts and ends, in InfluxDB: "offline since 03:12" survives a restart and every
 * sensor has a history. Writes go through the client's own buffer and retries (they are rare);
 * bucket and measurement never come from a request.
 */
@Injectable()
export class HealthHistoryStore implements OnModuleDestroy {
  private readonly writeApi: WriteApi;
  private readonly queryApi: QueryApi;
  private readonly logger: Logger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    const { influx } = config;
    this.logger = root.child({ context: HealthHistoryStore.name });
    this.writeApi = new InfluxDB({ url: influx.url, token: influx.writeToken }).getWriteApi(
      influx.org,
      influx.bucket,
      'ms',
      { flushInterval: 1000, maxRetries: 20, maxBufferLines: 100_000 },
    );
    this.queryApi = new InfluxDB({ url: influx.url, token: influx.readToken, timeout: 30_000 }).getQueryApi(
      influx.org,
    );
  }

  record(changes: HealthChange[]): void {
    for (const change of changes) {
      const address = parseDeviceAddress(change.key);
      if (!address) continue;
      this.writeApi.writePoint(
        new Point(MEASUREMENT)
          .tag('city', address.city)
          .tag('domain', address.domain)
          .tag('sensor_id', address.sensorId)
          .tag('problem', change.problem)
          .intField('active', change.active ? 1 : 0)
          .stringField('detail', change.detail)
          .timestamp(change.at),
      );
    }
  }

  async flush(): Promise<void> {
    await this.writeApi.flush();
  }

  /** The problems whose latest record says active, with when they began. */
  async activeProblems(sinceDays: number): Promise<StoredProblem[]> {
    const rows = await this.rows(
      flux`from(bucket: ${this.config.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(Date.now() - sinceDays * 86_400_000).toISOString())})
  |> filter(fn: (r) => r._measurement == ${MEASUREMENT})
  |> group(columns: ["city", "domain", "sensor_id", "problem", "_field"])
  |> last()
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")`,
    );
    return rows
      .filter((row) => row.active === 1 && isProblem(row.problem))
      .map((row) => ({
        key: keyOf(row),
        problem: row.problem as Problem,
        since: Date.parse(row._time),
        detail: row.detail ?? '',
      }));
  }

  /** One sensor's starts and ends, newest first. */
  async history(
    address: { city: string; domain: string; sensorId: string },
    sinceDays: number,
  ): Promise<HealthChange[]> {
    const rows = await this.rows(
      flux`from(bucket: ${this.config.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(Date.now() - sinceDays * 86_400_000).toISOString())})
  |> filter(fn: (r) => r._measurement == ${MEASUREMENT} and r.city == ${address.city} and r.domain == ${address.domain} and r.sensor_id == ${address.sensorId})
  |> pivot(rowKey: ["_time", "problem"], columnKey: ["_field"], valueColumn: "_value")
  |> group()
  |> sort(columns: ["_time"], desc: true)
  |> limit(n: 500)`,
    );
    return rows
      .filter((row) => isProblem(row.problem))
      .map((row) => ({
        key: keyOf(row),
        problem: row.problem as Problem,
        active: row.active === 1,
        at: Date.parse(row._time),
        detail: row.detail ?? '',
      }));
  }

  async onModuleDestroy(): Promise<void> {
    await this.writeApi
      .close()
      .catch((error: unknown) => this.logger.error({ err: error }, 'health history not flushed'));
  }

  private rows(query: ReturnType<typeof flux>): Promise<HealthRow[]> {
    return this.queryApi.collectRows<HealthRow>(query);
  }
}

function keyOf(row: HealthRow): string {
  return `${row.city}/${row.domain}/${row.sensor_id}`;
}
