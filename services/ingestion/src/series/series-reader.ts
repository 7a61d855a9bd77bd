import { Inject, Injectable } from '@nestjs/common';
import { flux, fluxDateTime, InfluxDB, type QueryApi } from '@influxdata/influxdb-client';
import type { SensorAddress } from '@meetnet/contracts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

export interface RawRow {
  /** Epoch ms. */
  t: number;
  field: string;
  value: number;
}

/**
 * Raw rows of one sensor, streamed from InfluxDB in time order per field (Flux returns one
 * table per field). Request values reach Flux only through the `flux` template; the bucket
 * comes from config and the measurement is the sensor's domain, itself allow-listed.
 */
@Injectable()
export class SeriesReader {
  private readonly queryApi: QueryApi;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const { influx } = config;
    this.queryApi = new InfluxDB({ url: influx.url, token: influx.readToken, timeout: 120_000 }).getQueryApi(
      influx.org,
    );
  }

  async *rows(
    sensor: SensorAddress,
    fields: readonly string[],
    from: Date,
    to: Date,
  ): AsyncGenerator<RawRow> {
    const query = flux`from(bucket: ${this.config.influx.bucket})
  |> range(start: ${fluxDateTime(from.toISOString())}, stop: ${fluxDateTime(to.toISOString())})
  |> filter(fn: (r) => r._measurement == ${sensor.domain} and r.city == ${sensor.city} and r.sensor_id == ${sensor.sensorId} and contains(value: r._field, set: ${[...fields]}))
  |> keep(columns: ["_time", "_field", "_value"])`;
    for await (const { values, tableMeta } of this.queryApi.iterateRows(query)) {
      const row = tableMeta.toObject(values) as { _time: string; _field: string; _value: number };
      yield { t: Date.parse(row._time), field: row._field, value: row._value };
    }
  }
}
