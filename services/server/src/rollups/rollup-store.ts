import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime } from '@influxdata/influxdb-client';
import { DOMAINS, type SensorAddress, type SeriesTier } from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import type { InfluxBatchSink } from '../influx/influx-batch.sink';
import { influxConfig, type InfluxSettings } from '../influx/influx.config';
import { InfluxConnection } from '../influx/influx-connection.service';
import { ROLLED_FIELDS, type RollupCell, rollupLine, type RollupStat, statField } from './rollup-cell';
import { rollupBucketOf, rollupsConfig, type RollupsSettings } from './rollups.config';

interface StatRow {
  _time: string;
  _measurement: string;
  city: string;
  sensor_id: string;
  _field: string;
  stat: RollupStat;
  _value: number;
}

/** Where the rollups stand, kept as one point in the hourly bucket. */
export interface RollupMarks {
  from: number;
  hourlyThrough: number;
  dailyThrough: number;
}

const MARK_MEASUREMENT = 'rollup_mark';
const MARK_TIME = '2000-01-01T00:00:00Z';
const iso = (ms: number) => fluxDateTime(new Date(ms).toISOString());
/**
 * A range's exclusive end: InfluxDB 1.8 also returns a row stamped exactly at `stop`, which
 * would put the next hour's first reading into this one; times are whole milliseconds.
 */
const before = (ms: number) => iso(ms - 1);
const ALL_FIELDS = [...new Set(ROLLED_FIELDS.map((f) => f.field))];
const LEVEL_FIELDS = [...new Set(ROLLED_FIELDS.filter((f) => f.level).map((f) => f.field))];

/**
 * The rollups in InfluxDB: made from raw data (hourly) and from the hourly rollups (daily),
 * folded inside InfluxDB so only one row per sensor, field and statistic comes back; read by
 * the series API. Each rollup is a point per sensor and hour (day) with `f_count`, `f_sum`,
 * `f_min`, `f_max` (and `f_energy` for levels), so a re-run overwrites it.
 */
@Injectable()
export class RollupStore {
  readonly buckets: Readonly<Record<Exclude<SeriesTier, 'raw'>, string>>;
  private readonly sinks = new Map<string, InfluxBatchSink>();

  constructor(
    private readonly influx: InfluxConnection,
    @InjectConfig(influxConfig) private readonly influxSettings: InfluxSettings,
    @InjectConfig(rollupsConfig) settings: RollupsSettings,
  ) {
    this.buckets = {
      hourly: settings.hourlyBucket ?? rollupBucketOf(influx.bucket, '1h'),
      daily: settings.dailyBucket ?? rollupBucketOf(influx.bucket, '1d'),
    };
  }

  /** The hourly rollup lines of every sensor over the whole hours of [start, stop). */
  async hourlyLines(start: number, stop: number): Promise<string[]> {
    const rows = await this.influx.rows<StatRow>(flux`import "math"
data = from(bucket: ${this.influx.bucket})
  |> range(start: ${iso(start)}, stop: ${before(stop)})
  |> filter(fn: (r) => contains(value: r._measurement, set: ${[...DOMAINS]}) and contains(value: r._field, set: ${ALL_FIELDS}))
  |> toFloat()
  |> window(every: 1h)
union(tables: [
  data |> sum() |> set(key: "stat", value: "sum"),
  data |> count() |> toFloat() |> set(key: "stat", value: "count"),
  data |> min() |> set(key: "stat", value: "min"),
  data |> max() |> set(key: "stat", value: "max"),
  data
    |> filter(fn: (r) => contains(value: r._field, set: ${LEVEL_FIELDS}))
    |> map(fn: (r) => ({ r with _value: math.pow(x: 10.0, y: r._value / 10.0) }))
    |> sum()
    |> set(key: "stat", value: "energy"),
])
  |> map(fn: (r) => ({ r with _time: r._start }))
  |> keep(columns: ["_time", "_measurement", "city", "sensor_id", "_field", "stat", "_value"])`);
    return linesOf(
      rows,
      (row) => row._field,
      (row) => row.stat,
    );
  }

  /**
   * One Brussels day's rollup lines from its hourly rollups: sums of counts, sums and energy,
   * the least minimum and the greatest maximum. Exact, since a Brussels day is whole UTC hours.
   */
  async dailyLines(day: { start: number; end: number }): Promise<string[]> {
    const rows = await this.influx.rows<StatRow>(flux`hours = from(bucket: ${this.buckets.hourly})
  |> range(start: ${iso(day.start)}, stop: ${before(day.end)})
  |> filter(fn: (r) => contains(value: r._measurement, set: ${[...DOMAINS]}))
union(tables: [
  hours |> filter(fn: (r) => r._field =~ /_(count|sum|energy)$/) |> toFloat() |> sum(),
  hours |> filter(fn: (r) => r._field =~ /_min$/) |> min(),
  hours |> filter(fn: (r) => r._field =~ /_max$/) |> max(),
])
  |> map(fn: (r) => ({ r with _time: ${iso(day.start)} }))
  |> keep(columns: ["_time", "_measurement", "city", "sensor_id", "_field", "_value"])`);
    const split = (row: StatRow) => row._field.lastIndexOf('_');
    return linesOf(
      rows,
      (row) => row._field.slice(0, split(row)),
      (row) => row._field.slice(split(row) + 1) as RollupStat,
    );
  }

  async write(tier: Exclude<SeriesTier, 'raw'>, lines: readonly string[]): Promise<void> {
    const bucket = this.buckets[tier];
    let sink = this.sinks.get(bucket);
    if (!sink) this.sinks.set(bucket, (sink = this.influx.batchSink(bucket)));
    const size = this.influxSettings.batchSize;
    for (let at = 0; at < lines.length; at += size) await sink.write(lines.slice(at, at + size));
  }

  /** One series' cells over [start, stop) of a tier, in time order. */
  async cells(
    tier: Exclude<SeriesTier, 'raw'>,
    sensor: SensorAddress,
    field: string,
    start: number,
    stop: number,
  ): Promise<RollupCell[]> {
    const fields = (['count', 'sum', 'min', 'max', 'energy'] as const).map((stat) => statField(field, stat));
    const rows = await this.influx.rows<Record<string, string | number | undefined> & { _time: string }>(
      flux`from(bucket: ${this.buckets[tier]})
  |> range(start: ${iso(start)}, stop: ${before(stop)})
  |> filter(fn: (r) => r._measurement == ${sensor.domain} and r.city == ${sensor.city} and r.sensor_id == ${sensor.sensorId} and contains(value: r._field, set: ${fields}))
  |> toFloat()
  |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
  |> keep(columns: ["_time", ${fields[0]}, ${fields[1]}, ${fields[2]}, ${fields[3]}, ${fields[4]}])`,
    );
    const cells: RollupCell[] = [];
    for (const row of rows) {
      const count = Number(row[fields[0]!] ?? 0);
      if (!(count > 0)) continue;
      const energy = row[fields[4]!];
      cells.push({
        t: Date.parse(row._time),
        count,
        sum: Number(row[fields[1]!]),
        min: Number(row[fields[2]!]),
        max: Number(row[fields[3]!]),
        ...(energy === undefined || energy === '' ? {} : { energy: Number(energy) }),
      });
    }
    return cells.sort((a, b) => a.t - b.t);
  }

  async readMarks(): Promise<RollupMarks | undefined> {
    const rows = await this.influx.rows<{ _field: string; _value: number }>(
      flux`from(bucket: ${this.buckets.hourly})
  |> range(start: 1999-01-01T00:00:00Z, stop: 2001-01-01T00:00:00Z)
  |> filter(fn: (r) => r._measurement == ${MARK_MEASUREMENT})
  |> last()
  |> keep(columns: ["_field", "_value"])`,
    );
    const field = (name: string) => rows.find((row) => row._field === name)?._value;
    const [from, hourlyThrough, dailyThrough] = [
      field('from'),
      field('hourly_through'),
      field('daily_through'),
    ];
    if (from === undefined || hourlyThrough === undefined || dailyThrough === undefined) return undefined;
    return { from, hourlyThrough, dailyThrough };
  }

  async writeMarks(marks: RollupMarks): Promise<void> {
    await this.write('hourly', [
      `${MARK_MEASUREMENT} from=${marks.from}i,hourly_through=${marks.hourlyThrough}i,daily_through=${marks.dailyThrough}i ${Date.parse(MARK_TIME)}`,
    ]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((sink) => sink.close().catch(() => undefined)));
  }
}

/** Rows of (sensor, field, stat) → one line per sensor and time, with every field's statistics. */
function linesOf(
  rows: readonly StatRow[],
  fieldOf: (row: StatRow) => string,
  statOf: (row: StatRow) => RollupStat,
): string[] {
  const points = new Map<string, { row: StatRow; cells: Map<string, Omit<RollupCell, 't'>> }>();
  for (const row of rows) {
    const key = `${row._measurement},${row.city},${row.sensor_id},${row._time}`;
    let point = points.get(key);
    if (!point) points.set(key, (point = { row, cells: new Map() }));
    const field = fieldOf(row);
    let cell = point.cells.get(field);
    if (!cell) point.cells.set(field, (cell = { count: 0, sum: 0, min: Number.NaN, max: Number.NaN }));
    cell[statOf(row)] = Number(row._value);
  }
  const lines: string[] = [];
  for (const { row, cells } of points.values()) {
    for (const [field, cell] of cells) if (!(cell.count > 0)) cells.delete(field);
    if (cells.size > 0)
      lines.push(rollupLine(row._measurement, row.city, row.sensor_id, Date.parse(row._time), cells));
  }
  return lines;
}
