import { Injectable } from '@nestjs/common';
import { flux, FLUX_VALUE, fluxDateTime, fluxExpression, fluxString } from '@influxdata/influxdb-client';
import { type Domain, DOMAINS, type SensorAddress, sensorKey, type SeriesTier } from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import type { InfluxBatchSink } from '../influx/influx-batch.sink';
import { influxConfig, type InfluxSettings } from '../influx/influx.config';
import { InfluxConnection } from '../influx/influx-connection.service';
import { annotatedCsvRows } from './annotated-csv-rows';
import {
  ROLLED_FIELDS,
  ROLLUP_STATS,
  type RollupCell,
  RollupFold,
  type RollupStat,
  statField,
} from './rollup-cell';
import { HOUR_MS } from './tier-plan';
import { rollupBucketOf, rollupsConfig, type RollupsSettings } from './rollups.config';

const RAW_COLUMNS = ['_time', '_value', '_measurement', 'city', 'sensor_id', '_field'] as const;
const DAILY_COLUMNS = ['_value', '_measurement', 'city', 'sensor_id', '_field'] as const;

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

/**
 * `(r.col == "a" or r.col == "b")`, each value quoted by the client: InfluxDB 1.8 hands
 * equality on tags to its storage, which then reads only those series, where `contains()`
 * makes it read every series of the measurement and filter afterwards.
 */
const anyOf = (column: string, values: readonly string[]) =>
  fluxExpression(
    `(${values.map((value) => `r.${column} == ${fluxString(value)[FLUX_VALUE]()}`).join(' or ')})`,
  );
const ALL_FIELDS = [...new Set(ROLLED_FIELDS.map((f) => f.field))];
const LEVELS = new Set(ROLLED_FIELDS.filter((f) => f.level).map((f) => `${f.domain}|${f.field}`));

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

  /**
   * Hourly cells of some layers' sensors over the whole hours of [start, stop), folded here from
   * the raw rows as they stream in. Measured on InfluxDB 1.8: Flux's window() and its aggregates
   * cost about 0.1 ms per window and series (a fleet of 10,000 sensors has 30,000 per hour, for
   * each statistic), while its raw rows stream at hundreds of thousands a second.
   */
  async hourlyFromRaw(
    start: number,
    stop: number,
    domains: readonly Domain[] = DOMAINS,
    sliceMs = stop - start,
  ): Promise<RollupFold> {
    const fold = new RollupFold();
    // A large fleet's hour is millions of raw rows: read in slices that InfluxDB answers well
    // within its timeout, folded into the same hours.
    for (let from = start; from < stop; from += sliceMs) {
      await this.foldRaw(fold, from, Math.min(stop, from + sliceMs), domains);
    }
    return fold;
  }

  private async foldRaw(
    fold: RollupFold,
    start: number,
    stop: number,
    domains: readonly Domain[],
  ): Promise<void> {
    const query = flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${iso(start)}, stop: ${before(stop)})
  |> filter(fn: (r) => contains(value: r._measurement, set: ${[...domains]}) and contains(value: r._field, set: ${ALL_FIELDS}))
  |> keep(columns: ["_time", "_value", "_measurement", "city", "sensor_id", "_field"])`.toString();
    const hourOf = new Map<string, number>();
    for await (const rows of annotatedCsvRows(this.influx.csv(query), RAW_COLUMNS)) {
      for (const row of rows) {
        // `2026-03-29T01:…`: the hour is the first 13 characters, parsed once per hour.
        const prefix = row._time.slice(0, 13);
        let hour = hourOf.get(prefix);
        if (hour === undefined)
          hourOf.set(prefix, (hour = Math.floor(Date.parse(row._time) / HOUR_MS) * HOUR_MS));
        const v = Number(row._value);
        const level = LEVELS.has(`${row._measurement}|${row._field}`);
        fold.add(row._measurement, row.city, row.sensor_id, hour, row._field, {
          count: 1,
          sum: v,
          min: v,
          max: v,
          ...(level ? { energy: 10 ** (v / 10) } : {}),
        });
      }
    }
  }

  /** Hourly cells of some layers' sensors over [start, stop), as the hourly rollups hold them. */
  async hourlyFromRollups(start: number, stop: number, domains: readonly Domain[]): Promise<RollupFold> {
    const query = flux`from(bucket: ${this.buckets.hourly})
  |> range(start: ${iso(start)}, stop: ${before(stop)})
  |> filter(fn: (r) => contains(value: r._measurement, set: ${[...domains]}))
  |> keep(columns: ["_time", "_value", "_measurement", "city", "sensor_id", "_field"])`.toString();
    const fold = new RollupFold();
    for await (const rows of annotatedCsvRows(this.influx.csv(query), RAW_COLUMNS)) {
      for (const row of rows) {
        const split = row._field.lastIndexOf('_');
        fold.addStat(
          row._measurement,
          row.city,
          row.sensor_id,
          Date.parse(row._time),
          row._field.slice(0, split),
          row._field.slice(split + 1) as RollupStat,
          Number(row._value),
        );
      }
    }
    return fold;
  }

  /**
   * One Brussels day's rollup lines from its hourly rollups: sums of counts, sums and energy,
   * the least minimum and the greatest maximum. Exact, since a Brussels day is whole UTC hours.
   */
  async dailyLines(day: { start: number; end: number }): Promise<string[]> {
    const query = flux`from(bucket: ${this.buckets.hourly})
  |> range(start: ${iso(day.start)}, stop: ${before(day.end)})
  |> filter(fn: (r) => contains(value: r._measurement, set: ${[...DOMAINS]}))
  |> keep(columns: ["_value", "_measurement", "city", "sensor_id", "_field"])`.toString();
    const fold = new RollupFold();
    for await (const rows of annotatedCsvRows(this.influx.csv(query), DAILY_COLUMNS)) {
      for (const row of rows) {
        const split = row._field.lastIndexOf('_');
        const stat = row._field.slice(split + 1) as RollupStat;
        const field = row._field.slice(0, split);
        // Each statistic folds on its own (sums add, minima take the least): rows come in any order.
        fold.addStat(row._measurement, row.city, row.sensor_id, day.start, field, stat, Number(row._value));
      }
    }
    return fold.lines();
  }

  async write(tier: Exclude<SeriesTier, 'raw'>, lines: readonly string[]): Promise<void> {
    const bucket = this.buckets[tier];
    let sink = this.sinks.get(bucket);
    if (!sink) this.sinks.set(bucket, (sink = this.influx.batchSink(bucket)));
    const size = this.influxSettings.batchSize;
    for (let at = 0; at < lines.length; at += size) await sink.write(lines.slice(at, at + size));
  }

  /**
   * Some series' cells over [start, stop) of a tier, each in time order, by `key|field`: one
   * query for all of them (on InfluxDB 1.8 each query costs tens of milliseconds before its
   * first row, and Flux's pivot() is slow, so statistics are zipped here by time). Only the
   * statistics the aggregate needs are read: on 1.8 the time goes by the rows.
   */
  async cellsOf(
    tier: Exclude<SeriesTier, 'raw'>,
    series: ReadonlyArray<{ sensor: SensorAddress; field: string }>,
    start: number,
    stop: number,
    stats: readonly RollupStat[] = ROLLUP_STATS,
  ): Promise<Map<string, RollupCell[]>> {
    const wanted = new Set(series.map((s) => `${sensorKey(s.sensor)}|${s.field}`));
    const unique = (values: string[]) => [...new Set(values)];
    const query = flux`from(bucket: ${this.buckets[tier]})
  |> range(start: ${iso(start)}, stop: ${before(stop)})
  |> filter(fn: (r) => ${anyOf('_measurement', unique(series.map((s) => s.sensor.domain)))} and ${anyOf('sensor_id', unique(series.map((s) => s.sensor.sensorId)))} and ${anyOf('city', unique(series.map((s) => s.sensor.city)))} and ${anyOf('_field', unique(series.flatMap((s) => stats.map((stat) => statField(s.field, stat)))))})
  |> keep(columns: ["_time", "_value", "_measurement", "city", "sensor_id", "_field"])`.toString();
    const countless = stats.includes('count') ? 0 : 1;
    const cells = new Map<string, Map<string, RollupCell>>();
    for await (const rows of annotatedCsvRows(this.influx.csv(query), RAW_COLUMNS)) {
      for (const row of rows) {
        const split = row._field.lastIndexOf('_');
        const id = `${row.city}/${row._measurement}/${row.sensor_id}|${row._field.slice(0, split)}`;
        if (!wanted.has(id)) continue;
        let byTime = cells.get(id);
        if (!byTime) cells.set(id, (byTime = new Map<string, RollupCell>()));
        let cell = byTime.get(row._time);
        // Without counts read, a cell that is there stands for "some readings".
        if (!cell)
          byTime.set(
            row._time,
            (cell = { t: Date.parse(row._time), count: countless, sum: 0, min: 0, max: 0 }),
          );
        cell[row._field.slice(split + 1) as RollupStat] = Number(row._value);
      }
    }
    return new Map(
      [...cells].map(([id, byTime]) => [
        id,
        [...byTime.values()].filter((cell) => cell.count > 0).sort((a, b) => a.t - b.t),
      ]),
    );
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
