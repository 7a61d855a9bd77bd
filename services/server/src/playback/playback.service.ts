import { Injectable } from '@nestjs/common';
import {
  DOMAIN_FIELDS,
  type FieldSpec,
  inBbox,
  isLevelField,
  PLAYBACK_MAX_SENSORS,
  type PlaybackAnswer,
  type SensorLatest,
  SERIES_TIERS,
} from '@meetnet/contracts';
import type { RollupCell, RollupFold } from '../rollups/rollup-cell';
import { RollupCoverageState } from '../rollups/rollup-coverage';
import { RollupStore } from '../rollups/rollup-store';
import { brusselsDay, HOUR_MS, planTiers, type TierSegment } from '../rollups/tier-plan';
import { InjectConfig } from '../config/config-slice';
import { healthConfig, type HealthSettings } from '../health/health.config';
import { seriesConfig, type SeriesSettings } from '../series/series.config';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { SeriesQueryError } from '../series/series-query';
import { isoInZone } from '../series/series-windows';
import type { PlaybackQuery } from './playback-query';

/** A large fleet's unrolled hour is read in slices this long. */
const RAW_SLICE_MS = 10 * 60_000;

/**
 * A past day of the map, hour by hour, for every located sensor of some layers: read from the
 * hourly rollups, and from raw data for the hours they do not hold yet (the current one, late
 * ones), so a replay of today reaches up to now.
 */
@Injectable()
export class PlaybackService {
  constructor(
    private readonly store: RollupStore,
    private readonly coverage: RollupCoverageState,
    private readonly registry: SensorRegistry,
    @InjectConfig(seriesConfig) private readonly seriesSettings: SeriesSettings,
    @InjectConfig(healthConfig) private readonly healthSettings: HealthSettings,
  ) {}

  /** A replay of hours the rollups do not hold reads raw rows: no more than a series request may. */
  private refuseHeavyRaw(sensors: readonly SensorLatest[], segments: readonly TierSegment[]): void {
    const fallbackS = this.healthSettings.thresholds.defaultIntervalS;
    const rows = rawRowsOf(sensors, segments, (key) => this.registry.declaredIntervalS(key) ?? fallbackS);
    const limit = this.seriesSettings.queryMaxRows;
    if (rows > limit) {
      throw new SeriesQueryError(
        `rows: this replay reads about ${rows} raw rows from InfluxDB (the rollups do not hold these hours), at most ${limit} per request; choose fewer layers or a smaller bbox`,
      );
    }
  }

  async day(query: PlaybackQuery): Promise<PlaybackAnswer> {
    const day = brusselsDay(query.dayStart);
    const hours: number[] = [];
    for (let t = day.start; t < day.end; t += HOUR_MS) hours.push(t);
    const sensors = this.registry
      .all()
      .filter(
        (s) =>
          query.layers.includes(s.domain) &&
          s.lat !== undefined &&
          s.lon !== undefined &&
          inBbox(s, query.bbox),
      );
    if (sensors.length > PLAYBACK_MAX_SENSORS) {
      throw new SeriesQueryError(
        `bbox: ${sensors.length} sensors in view, at most ${PLAYBACK_MAX_SENSORS} per replay; zoom in`,
      );
    }
    const segments = planTiers(
      day.start,
      Math.min(day.end, Date.now()),
      'hourly',
      await this.coverage.coverage(),
    );
    this.refuseHeavyRaw(sensors, segments);
    const folds: RollupFold[] = [];
    for (const segment of segments) {
      folds.push(
        segment.tier === 'raw'
          ? await this.store.hourlyFromRaw(segment.start, segment.end, query.layers, RAW_SLICE_MS)
          : await this.store.hourlyFromRollups(segment.start, segment.end, query.layers),
      );
    }
    const cellsOf = new Map<string, Map<number, ReadonlyMap<string, Omit<RollupCell, 't'>>>>();
    for (const fold of folds) {
      for (const point of fold.points()) {
        const key = `${point.city}/${point.domain}/${point.sensorId}`;
        let byHour = cellsOf.get(key);
        if (!byHour)
          cellsOf.set(key, (byHour = new Map<number, ReadonlyMap<string, Omit<RollupCell, 't'>>>()));
        byHour.set(Math.round((point.t - day.start) / HOUR_MS), point.cells);
      }
    }
    return {
      date: query.date,
      hours: hours.map((t) => isoInZone(t, 'Europe/Brussels')),
      tiers: SERIES_TIERS.filter((tier) => segments.some((segment) => segment.tier === tier)),
      layers: query.layers.map((domain) => {
        const specs = DOMAIN_FIELDS[domain] as Record<string, FieldSpec>;
        const fields = Object.keys(specs);
        return {
          domain,
          fields,
          sensors: sensors
            .filter((s) => s.domain === domain)
            .map((s) => {
              const byHour = cellsOf.get(s.key);
              return {
                key: s.key,
                lat: s.lat!,
                lon: s.lon!,
                frames: hours.map((_, index) => {
                  const cells = byHour?.get(index);
                  return cells ? fields.map((field) => hourValue(cells.get(field), specs[field]!)) : null;
                }),
              };
            }),
        };
      }),
    };
  }
}

/** A day the rollups do not hold (before them, or with raw retention INF) is read raw: bounded as series are. */
function rawRowsOf(
  sensors: readonly SensorLatest[],
  segments: readonly TierSegment[],
  intervalSOf: (key: string) => number,
): number {
  const rawS = segments.filter((s) => s.tier === 'raw').reduce((sum, s) => sum + (s.end - s.start) / 1000, 0);
  return sensors.reduce(
    (sum, s) => sum + Math.ceil(rawS / intervalSOf(s.key)) * Object.keys(DOMAIN_FIELDS[s.domain]).length,
    0,
  );
}

/** Counts: the hour's total; levels: its energetic mean; the rest: its mean. Rounded as the field is. */
function hourValue(cell: Omit<RollupCell, 't'> | undefined, spec: FieldSpec): number | null {
  if (!cell || !(cell.count > 0)) return null;
  const value = spec.integer
    ? cell.sum
    : isLevelField(spec) && cell.energy !== undefined
      ? 10 * Math.log10(cell.energy / cell.count)
      : cell.sum / cell.count;
  const scale = 10 ** spec.decimals;
  return Math.round(value * scale) / scale;
}
