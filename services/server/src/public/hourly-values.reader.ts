import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime } from '@influxdata/influxdb-client';
import { type Domain, DOMAIN_FIELDS, type FieldSpec, isDomain } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';

/** One sensor's clock hour: means of levels, totals of counts and of the periods counted. */
export interface HourlyValues {
  values: Partial<Record<string, number>>;
  periodS?: number;
}

interface SumRow {
  _measurement: string;
  _field: string;
  city: string;
  sensor_id: string;
  sum: number;
  count: number;
}

/**
 * Every sensor's values for one clock hour, by key. One query folds each (sensor, field) to a
 * sum and a count inside InfluxDB, so a minute-old hour of a fleet answers in one small reply;
 * Flux 0.65 (InfluxDB 1.8) and 2.7 alike run it.
 */
@Injectable()
export class HourlyValuesReader {
  constructor(private readonly influx: InfluxConnection) {}

  async hour(domains: readonly Domain[], start: number): Promise<Map<string, HourlyValues>> {
    const sensors = new Map<string, HourlyValues>();
    if (domains.length === 0) return sensors;
    const rows = await this.influx.rows<SumRow>(flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(start).toISOString())}, stop: ${fluxDateTime(new Date(start + 3_600_000).toISOString())})
  |> filter(fn: (r) => contains(value: r._measurement, set: ${[...domains]}))
  |> group(columns: ["_measurement", "city", "sensor_id", "_field"])
  |> reduce(fn: (r, accumulator) => ({sum: accumulator.sum + float(v: r._value), count: accumulator.count + 1.0}), identity: {sum: 0.0, count: 0.0})
  |> keep(columns: ["_measurement", "city", "sensor_id", "_field", "sum", "count"])`);
    for (const row of rows) {
      if (!isDomain(row._measurement) || row.count === 0) continue;
      const key = `${row.city}/${row._measurement}/${row.sensor_id}`;
      const sensor = sensors.get(key) ?? { values: {} };
      sensors.set(key, sensor);
      if (row._field === 'period_s') {
        sensor.periodS = row.sum;
        continue;
      }
      const spec = (DOMAIN_FIELDS[row._measurement] as Record<string, FieldSpec>)[row._field];
      if (!spec) continue;
      // Counts per period add up over the hour; levels and speeds average.
      sensor.values[row._field] = spec.integer ? row.sum : row.sum / row.count;
    }
    return sensors;
  }
}
