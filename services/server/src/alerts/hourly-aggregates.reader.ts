import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime, fluxExpression } from '@influxdata/influxdb-client';
import type { Domain } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';

/** One field of one sensor in one clock hour. */
export interface HourCell {
  /** The arithmetic mean, or for energetic fields the level of the mean energy. */
  mean: number;
  count: number;
}

/** One sensor's hours by their start (epoch ms), each with its fields. */
export type SensorHours = Map<number, Partial<Record<string, HourCell>>>;

interface WindowRow {
  _start: string;
  _field: string;
  city: string;
  sensor_id: string;
  _value: number;
}

export const HOUR_MS = 3_600_000;

/**
 * Hourly means of some fields of a domain over a range, per sensor, folded inside InfluxDB
 * (Flux's window() + sum() and count(), the pair that stays fast on 1.8, see the public map's
 * reader). Levels in dB are averaged as energy: a mean of decibels understates a loud hour.
 */
@Injectable()
export class HourlyAggregatesReader {
  constructor(private readonly influx: InfluxConnection) {}

  async read(
    domain: Domain,
    fields: readonly string[],
    range: { start: number; stop: number },
    options: { energetic?: boolean; cities?: readonly string[] } = {},
  ): Promise<Map<string, SensorHours>> {
    const start = Math.floor(range.start / HOUR_MS) * HOUR_MS;
    const stop = Math.ceil(range.stop / HOUR_MS) * HOUR_MS;
    const cityFilter = options.cities?.length
      ? flux`|> filter(fn: (r) => contains(value: r.city, set: ${[...options.cities]}))`
      : fluxExpression('');
    const toEnergy = options.energetic
      ? fluxExpression('|> map(fn: (r) => ({ r with _value: math.pow(x: 10.0, y: r._value / 10.0) }))')
      : fluxExpression('');
    const query = (aggregate: 'sum' | 'count') =>
      this.influx.rows<WindowRow>(flux`import "math"
from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(start).toISOString())}, stop: ${fluxDateTime(new Date(stop).toISOString())})
  |> filter(fn: (r) => r._measurement == ${domain} and contains(value: r._field, set: ${[...fields]}))
  ${cityFilter}
  |> toFloat()
  ${toEnergy}
  |> window(every: 1h)
  |> ${aggregate === 'sum' ? flux`sum()` : flux`count()`}
  |> keep(columns: ["_start", "city", "sensor_id", "_field", "_value"])`);
    const [sums, counts] = await Promise.all([query('sum'), query('count')]);
    const cellKey = (row: WindowRow) => `${row.city}/${domain}/${row.sensor_id}|${row._field}|${row._start}`;
    const countOf = new Map(counts.map((row) => [cellKey(row), row._value]));
    const sensors = new Map<string, SensorHours>();
    for (const row of sums) {
      const count = countOf.get(cellKey(row)) ?? 0;
      if (count === 0) continue;
      const key = `${row.city}/${domain}/${row.sensor_id}`;
      let hours = sensors.get(key);
      if (!hours) sensors.set(key, (hours = new Map<number, Partial<Record<string, HourCell>>>()));
      const hourStart = Date.parse(row._start);
      const cells = hours.get(hourStart) ?? {};
      hours.set(hourStart, cells);
      const mean = row._value / count;
      cells[row._field] = { mean: options.energetic ? 10 * Math.log10(mean) : mean, count };
    }
    return sensors;
  }
}
