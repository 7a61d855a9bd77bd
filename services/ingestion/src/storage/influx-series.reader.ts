import { Inject, Injectable } from '@nestjs/common';
import { flux, fluxDateTime, fluxDuration, InfluxDB, type QueryApi } from '@influxdata/influxdb-client';
import type { Domain } from '@meetnet/contracts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export interface SeriesRequest {
  city: string;
  domain: Domain;
  sensorId: string;
  field: string;
  from: Date;
  to: Date;
  /** An allow-listed Flux duration, such as `5m`. */
  every: string;
}

export interface SeriesPoint {
  /** Epoch ms, the end of the window. */
  t: number;
  v: number;
}

/**
 * Reads aggregated series back from InfluxDB. Request values reach Flux only through the
 * client's `flux` template (which quotes them); the bucket comes from config.
 * The Flux runs on InfluxDB 1.8's Flux 0.65 and on 2.7 alike.
 */
@Injectable()
export class InfluxSeriesReader {
  private readonly queryApi: QueryApi;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { influx } = config;
    this.queryApi = new InfluxDB({ url: influx.url, token: influx.readToken, timeout: 30_000 }).getQueryApi(
      influx.org,
    );
  }

  async mean(request: SeriesRequest): Promise<SeriesPoint[]> {
    const query = flux`from(bucket: ${this.config.influx.bucket})
  |> range(start: ${fluxDateTime(request.from.toISOString())}, stop: ${fluxDateTime(request.to.toISOString())})
  |> filter(fn: (r) => r._measurement == ${request.domain} and r.city == ${request.city} and r.sensor_id == ${request.sensorId} and r._field == ${request.field})
  |> aggregateWindow(every: ${fluxDuration(request.every)}, fn: mean, createEmpty: false)
  |> keep(columns: ["_time", "_value"])`;
    const rows = await this.queryApi.collectRows<{ _time: string; _value: number }>(query);
    return rows.map((row) => ({ t: Date.parse(row._time), v: row._value }));
  }
}
