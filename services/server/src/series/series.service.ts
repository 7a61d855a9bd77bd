import { Inject, Injectable } from '@nestjs/common';
import {
  type AggregatedWindow,
  DOMAIN_FIELDS,
  type FieldSpec,
  isNoiseIndicator,
  type NoiseIndicator,
  type SensorAddress,
  sensorKey,
  type SeriesAggregate,
  SERIES_TIERS,
  type SeriesTier,
  type SeriesZone,
} from '@meetnet/contracts';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';
import type { RollupCell, RollupStat } from '../rollups/rollup-cell';
import { RollupCoverageState } from '../rollups/rollup-coverage';
import { RollupStore } from '../rollups/rollup-store';
import { coarsestTier, planTiers, type RollupCoverage, type TierSegment } from '../rollups/tier-plan';
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

/** How a query is read: the stretches of its range and their tiers, and its row budget. */
export interface SeriesPlan {
  budget: RowBudget;
  segments: TierSegment[];
  /** The tiers used, coarsest first, as the answer reports them. */
  tiers: SeriesTier[];
  /** Each rollup segment's cells of every series of the query, read once on first use. */
  rollupCells: Map<TierSegment, Promise<Map<string, RollupCell[]>>>;
}

export interface SeriesPoint {
  /** Epoch ms: the window's start, or the reading's time for raw. */
  t: number;
  v: number;
}

/**
 * Series per sensor and field. Windows are cut in the service, not in Flux: InfluxDB 1.8's Flux
 * has no time zones, and a Brussels day is 23 or 25 hours twice a year. Rows (raw readings, or
 * rollup cells of whole hours and days) arrive in time order, so each window is folded and
 * handed on as soon as the next one starts: a series of any length streams through in constant
 * memory.
 */
@Injectable()
export class SeriesService {
  private readonly logger: Logger;

  constructor(
    private readonly reader: SeriesReader,
    private readonly rollups: RollupStore,
    private readonly coverage: RollupCoverageState,
    private readonly registry: SensorRegistry,
    @InjectConfig(seriesConfig) private readonly seriesSettings: SeriesSettings,
    @InjectConfig(healthConfig) private readonly healthSettings: HealthSettings,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: SeriesService.name });
  }

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
   * Which tier each stretch of the range is read from, and what the query may read: refused
   * before it starts when the sensors' declared intervals say it reads more rows than one
   * request may (a daily mean over a year of raw data reads every raw row; of daily rollups,
   * 366 per series), then counted as it runs.
   */
  async plan(query: SeriesQuery): Promise<SeriesPlan> {
    const segments = planTiers(
      query.from.getTime(),
      query.to.getTime(),
      coarsestTier(query.window, query.aggregate, query.zone),
      await this.rollupCoverage(),
    );
    const limit = this.seriesSettings.queryMaxRows;
    const fallbackS = this.healthSettings.thresholds.defaultIntervalS;
    const keys = this.keys(query).map((series) => series.key);
    const rows = segments.reduce((sum, segment) => {
      const range = [new Date(segment.start), new Date(segment.end)] as const;
      if (segment.tier === 'raw') {
        return (
          sum + estimatedRows(keys, ...range, (key) => this.registry.declaredIntervalS(key) ?? fallbackS)
        );
      }
      return sum + estimatedRows(keys, ...range, () => (segment.tier === 'hourly' ? 3600 : 82_800));
    }, 0);
    const tiers = SERIES_TIERS.filter((tier) => segments.some((segment) => segment.tier === tier));
    if (rows > limit) {
      const what = tiers.join() === 'raw' ? 'raw rows' : 'rows (raw and rollups)';
      throw new SeriesQueryError(
        `rows: this reads about ${rows} ${what} from InfluxDB, at most ${limit} per request; choose fewer sensors or fields, or a shorter range`,
      );
    }
    return { budget: new RowBudget(limit), segments, tiers, rollupCells: new Map() };
  }

  /** Where the rollups stand; none (every query reads raw) when they are off or unknown. */
  private async rollupCoverage(): Promise<RollupCoverage | undefined> {
    try {
      return await this.coverage.coverage();
    } catch (error) {
      this.logger.warn({ err: error }, 'rollup coverage unknown (Redis did not answer): reading raw data');
      return undefined;
    }
  }

  /**
   * A series' points in time order, a batch at a time (as InfluxDB's chunks arrive), each
   * stretch of the range from its tier. Throws RowLimitReached once the request's budget is spent.
   */
  async *batches(series: SeriesKey, query: SeriesQuery, plan: SeriesPlan): AsyncGenerator<SeriesPoint[]> {
    const aggregate = query.aggregate;
    let open: OpenWindow | undefined;
    const windowOfTime = (t: number): number =>
      isNoiseIndicator(aggregate)
        ? indicatorDayOf(t, query.zone).start
        : windowOf(t, query.window as AggregatedWindow, query.zone).start;
    /** The window that holds `t`, opened when `t` starts the next one; a finished window goes to `out`. */
    const windowAt = (t: number, out: SeriesPoint[]): OpenWindow => {
      const start = windowOfTime(t);
      if (open?.start === start) return open;
      const v = open?.result();
      if (open && v !== undefined) out.push({ t: open.start, v });
      return (open = openWindow(start, aggregate, query.zone));
    };
    for (const segment of plan.segments) {
      if (segment.tier !== 'raw') {
        let all = plan.rollupCells.get(segment);
        if (!all) {
          all = this.rollups.cellsOf(
            segment.tier,
            this.keys(query),
            segment.start,
            segment.end,
            statsFor(query.aggregate),
          );
          plan.rollupCells.set(segment, all);
          // The first series to need the segment pays for all of it.
          plan.budget.take([...(await all).values()].reduce((sum, cells) => sum + cells.length, 0));
        }
        const cells = (await all).get(`${series.key}|${series.field}`) ?? [];
        const out: SeriesPoint[] = [];
        for (const cell of cells) windowAt(cell.t, out).addCell(cell);
        if (out.length > 0) yield out;
        continue;
      }
      const [from, to] = [segment.start, segment.end];
      for await (const rows of this.reader.batches(
        series.sensor,
        series.field,
        new Date(from),
        new Date(to),
      )) {
        plan.budget.take(rows.length);
        const out: SeriesPoint[] = [];
        for (const row of rows) {
          // [from, to): InfluxDB 1.8 also returns a row stamped exactly at `to`.
          if (row.t < from || row.t >= to) continue;
          if (query.window === 'raw') out.push(row);
          else windowAt(row.t, out).add(row.t, row.v);
        }
        if (out.length > 0) yield out;
      }
    }
    const last = open?.result();
    if (open && last !== undefined) yield [{ t: open.start, v: last }];
  }
}

/** The rollup statistics an aggregate is folded from (never p95 or last: they read raw). */
function statsFor(aggregate: SeriesAggregate | NoiseIndicator): RollupStat[] {
  if (isNoiseIndicator(aggregate)) return ['count', 'energy'];
  return aggregate === 'mean' ? ['count', 'sum'] : [aggregate as RollupStat];
}

/** One window being folded, from readings or from rollup cells alike. */
interface OpenWindow {
  start: number;
  add: (t: number, v: number) => void;
  addCell: (cell: RollupCell) => void;
  result: () => number | undefined;
}

function openWindow(
  start: number,
  aggregate: SeriesAggregate | NoiseIndicator,
  zone: SeriesZone,
): OpenWindow {
  if (isNoiseIndicator(aggregate)) {
    const accumulator = new IndicatorAccumulator(aggregate);
    return {
      start,
      add: (t, v) => accumulator.add(indicatorDayOf(t, zone).period, v),
      // The planner reads indicators from hourly rollups only, which carry energy (levels).
      addCell: (cell) =>
        accumulator.addEnergy(indicatorDayOf(cell.t, zone).period, cell.energy ?? 0, cell.count),
      result: () => accumulator.result(),
    };
  }
  const accumulator = new WindowAccumulator(aggregate);
  return {
    start,
    add: (_t, v) => accumulator.add(v),
    addCell: (cell) => accumulator.addCell(cell),
    result: () => accumulator.result(),
  };
}
