import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime } from '@influxdata/influxdb-client';
import { DOMAINS, isDomain, type SensorAddress } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';

/** A sensor's newest stored values. */
export interface StoredLatest extends SensorAddress {
  /** Epoch ms of the newest stored observation. */
  ts: number;
  values: Partial<Record<string, number>>;
  periodS?: number;
}

/**
 * Each sensor's newest stored values, for rebuilding the registry after a restart. Series for
 * people are the series module's job. The Flux runs on InfluxDB 1.8's Flux 0.65 and on 2.7 alike.
 */
@Injectable()
export class InfluxLatestReader {
  constructor(private readonly influx: InfluxConnection) {}

  /** Every sensor's newest values within the look-back, one row per field. */
  async latest(lookBackDays: number): Promise<StoredLatest[]> {
    const start = new Date(Date.now() - lookBackDays * 86_400_000).toISOString();
    const rows = await this.influx.rows<{
      _time: string;
      _measurement: string;
      _field: string;
      _value: number;
      city: string;
      sensor_id: string;
    }>(flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(start)})
  |> filter(fn: (r) => contains(value: r._measurement, set: ${[...DOMAINS]}))
  |> group(columns: ["_measurement", "city", "sensor_id", "_field"])
  |> last()
  |> keep(columns: ["_time", "_measurement", "_field", "_value", "city", "sensor_id"])`);
    const sensors = new Map<string, StoredLatest>();
    for (const row of rows) {
      if (!isDomain(row._measurement)) continue;
      const key = `${row.city}/${row._measurement}/${row.sensor_id}`;
      const sensor = sensors.get(key) ?? {
        city: row.city,
        domain: row._measurement,
        sensorId: row.sensor_id,
        ts: 0,
        values: {},
      };
      const ts = Date.parse(row._time);
      // Fields of one observation share its timestamp; keep the newest observation's.
      if (ts > sensor.ts) {
        sensor.ts = ts;
        sensor.values = {};
        sensor.periodS = undefined;
      }
      if (ts === sensor.ts) {
        if (row._field === 'period_s') sensor.periodS = row._value;
        else sensor.values[row._field] = row._value;
      }
      sensors.set(key, sensor);
    }
    return [...sensors.values()];
  }
}
