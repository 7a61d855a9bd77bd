import { Injectable } from '@nestjs/common';
import {
  type AggregatedWindow,
  DOMAIN_FIELDS,
  type FieldSpec,
  isNoiseIndicator,
  type SensorAddress,
  sensorKey,
} from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { seriesConfig, type SeriesSettings } from './series.config';
import { healthConfig, type HealthSettings } from '../health/health.config';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { IndicatorAccumulator, indicatorDayOf } from './noise-indicators';
import { estimatedRows, RowBudget } from './query-cost';
import { WindowAccumulator } from './series-aggregate';
import { type SeriesQuery, SeriesQueryError } from './series-query';
import { SeriesReader } from './series-reader';
import { windowOf } from './series-windows';

/** One series of a query: a sensor and one of its fields. */
export interface SeriesKey {
  sensor: SensorAddress;
  /** `city/domain/id` */
  key: string;
  field: string;
  unit: string;
  /** Decimals the series is exported with: its field's, one more for a mean of whole counts. */
  decimals: number;
}

export interface SeriesPoint {
  /** Epoch ms: the window's start, or the reading's time for raw. */
  t: number;
  v: number;
}

/**
 * Series per sensor and field. Windows are cut in the service, not in Flux: InfluxDB 1.8's Flux
 * has no time zones, and a Brussels day is 23 or 25 hours twice a year. Rows arrive in time
 * order, so each window is folded and handed on as soon as the next one starts: a series of any
 * length streams through in constant memory.
 */
@Injectable()
export class SeriesService {
  constructor(
    private readonly reader: SeriesReader,
    private readonly registry: SensorRegistry,
    @InjectConfig(seriesConfig) private readonly seriesSettings: SeriesSettings,
    @InjectConfig(healthConfig) private readonly healthSettings: HealthSettings,
  ) {}

  /** Every (sensor, field) pair the query asks for that the sensor measures, in request order. */
  keys(query: SeriesQuery): SeriesKey[] {
    const averaged = query.window !== 'raw' && (query.aggregate === 'mean' || query.aggregate === 'p95');
    return query.sensors.flatMap((sensor) => {
      const specs = DOMAIN_FIELDS[sensor.domain] as Record<string, FieldSpec>;
      return query.fields.flatMap((field) => {
        const spec = specs[field];
        if (!spec) return [];
        const decimals = spec.decimals + (spec.integer && averaged ? 1 : 0);
        return [{ sensor, key: sensorKey(sensor), field, unit: spec.unit, decimals }];
      });
    });
  }

  /**
   * What the query may read: refused before it starts when the sensors' declared intervals
   * say it reads more raw rows than one request may (a daily mean over a year still reads every
   * raw row), then counted as it runs.
   */
  budget(query: SeriesQuery): RowBudget {
    const limit = this.seriesSettings.queryMaxRows;
    const fallbackS = this.healthSettings.thresholds.defaultIntervalS;
    const keys = this.keys(query).map((series) => series.key);
    const rows = estimatedRows(
      keys,
      query.from,
      query.to,
      (key) => this.registry.declaredIntervalS(key) ?? fallbackS,
    );
    if (rows > limit) {
      throw new SeriesQueryError(
        `rows: this reads about ${rows} raw rows from InfluxDB, at most ${limit} per request; choose fewer sensors or fields, or a shorter range`,
      );
    }
    return new RowBudget(limit);
  }

  /**
   * A series' points in time order, a batch at a time (as InfluxDB's chunks arrive). Throws
   * RowLimitReached once the request's budget is spent.
   */
  async *batches(series: SeriesKey, query: SeriesQuery, budget: RowBudget): AsyncGenerator<SeriesPoint[]> {
    const [from, to] = [query.from.getTime(), query.to.getTime()];
    const aggregate = query.aggregate;
    // Open window: its start and an accumulator, of either kind.
    let open:
      { start: number; add: (t: number, v: number) => void; result: () => number | undefined } | undefined;
    const windowOfRow = (t: number): { start: number; period?: 'day' | 'evening' | 'night' } =>
      isNoiseIndicator(aggregate)
        ? indicatorDayOf(t, query.zone)
        : windowOf(t, query.window as AggregatedWindow, query.zone);
    const opened = (start: number): NonNullable<typeof open> => {
      if (isNoiseIndicator(aggregate)) {
        const accumulator = new IndicatorAccumulator(aggregate);
        return {
          start,
          add: (t, v) => accumulator.add(indicatorDayOf(t, query.zone).period, v),
          result: () => accumulator.result(),
        };
      }
      const accumulator = new WindowAccumulator(aggregate);
      return { start, add: (_t, v) => accumulator.add(v), result: () => accumulator.result() };
    };
    for await (const rows of this.reader.batches(series.sensor, series.field, query.from, query.to)) {
      budget.take(rows.length);
      const out: SeriesPoint[] = [];
      for (const row of rows) {
        // [from, to): InfluxDB 1.8 also returns a row stamped exactly at `to`.
        if (row.t < from || row.t >= to) continue;
        if (query.window === 'raw') {
          out.push(row);
          continue;
        }
        const { start } = windowOfRow(row.t);
        if (open?.start !== start) {
          const v = open?.result();
          if (open && v !== undefined) out.push({ t: open.start, v });
          open = opened(start);
        }
        open.add(row.t, row.v);
      }
      if (out.length > 0) yield out;
    }
    const last = open?.result();
    if (open && last !== undefined) yield [{ t: open.start, v: last }];
  }
}
