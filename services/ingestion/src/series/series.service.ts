import { Injectable } from '@nestjs/common';
import { DOMAIN_FIELDS, type FieldSpec, type SensorAddress, sensorKey } from '@meetnet/contracts';
import {
  IndicatorAccumulator,
  indicatorDayOf,
  NOISE_INDICATORS,
  type NoiseIndicator,
} from './noise-indicators';
import { WindowAccumulator } from './series-aggregate';
import type { SeriesQuery } from './series-query';
import { SeriesReader } from './series-reader';
import { isoInZone, windowOf } from './series-windows';

/** One series of a query: a sensor and one of its fields. */
export interface SeriesKey {
  sensor: SensorAddress;
  /** `city/domain/id` */
  key: string;
  field: string;
  unit: string;
}

export interface SeriesPoint {
  /** Epoch ms: the window's start, or the reading's time for raw. */
  t: number;
  v: number;
}

export interface SeriesOut {
  sensor: string;
  field: string;
  unit: string;
  points: Array<{ t: string; v: number }>;
}

/**
 * Series per sensor and field. Windows are cut in the service, not in Flux: InfluxDB 1.8's Flux
 * has no time zones, and a Brussels day is 23 or 25 hours twice a year. Rows arrive in time
 * order, so each window is folded and handed on as soon as the next one starts: a series of any
 * length streams through in constant memory.
 */
@Injectable()
export class SeriesService {
  constructor(private readonly reader: SeriesReader) {}

  /** Every (sensor, field) pair the query asks for that the sensor measures, in request order. */
  keys(query: SeriesQuery): SeriesKey[] {
    return query.sensors.flatMap((sensor) => {
      const specs = DOMAIN_FIELDS[sensor.domain] as Record<string, FieldSpec>;
      return query.fields
        .filter((field) => field in specs)
        .map((field) => ({ sensor, key: sensorKey(sensor), field, unit: specs[field]?.unit ?? '' }));
    });
  }

  async *points(series: SeriesKey, query: SeriesQuery): AsyncGenerator<SeriesPoint> {
    if (isIndicator(query.aggregate)) {
      yield* this.indicators(series, query, query.aggregate);
      return;
    }
    const aggregate = query.aggregate;
    const [from, to] = [query.from.getTime(), query.to.getTime()];
    let open: { start: number; accumulator: WindowAccumulator } | undefined;
    for await (const row of this.reader.rows(series.sensor, [series.field], query.from, query.to)) {
      // [from, to): InfluxDB 1.8 also returns a row stamped exactly at `to`.
      if (row.t < from || row.t >= to) continue;
      if (query.window === 'raw') {
        yield { t: row.t, v: row.value };
        continue;
      }
      const { start } = windowOf(row.t, query.window, query.zone);
      if (open?.start !== start) {
        if (open) yield { t: open.start, v: open.accumulator.result() };
        open = { start, accumulator: new WindowAccumulator(aggregate) };
      }
      open.accumulator.add(row.value);
    }
    if (open) yield { t: open.start, v: open.accumulator.result() };
  }

  /** Lden, Lday, Levening or Lnight per indicator day (from 07:00 local), energetically averaged. */
  private async *indicators(
    series: SeriesKey,
    query: SeriesQuery,
    indicator: NoiseIndicator,
  ): AsyncGenerator<SeriesPoint> {
    const [from, to] = [query.from.getTime(), query.to.getTime()];
    let open: { start: number; accumulator: IndicatorAccumulator } | undefined;
    const result = (day: NonNullable<typeof open>) => {
      const v = day.accumulator.result();
      return v === undefined ? [] : [{ t: day.start, v }];
    };
    for await (const row of this.reader.rows(series.sensor, [series.field], query.from, query.to)) {
      if (row.t < from || row.t >= to) continue;
      const { start, period } = indicatorDayOf(row.t, query.zone);
      if (open?.start !== start) {
        if (open) yield* result(open);
        open = { start, accumulator: new IndicatorAccumulator(indicator) };
      }
      open.accumulator.add(period, row.value);
    }
    if (open) yield* result(open);
  }

  async series(query: SeriesQuery): Promise<SeriesOut[]> {
    const out: SeriesOut[] = [];
    for (const series of this.keys(query)) {
      const points: SeriesOut['points'] = [];
      for await (const point of this.points(series, query))
        points.push({ t: isoInZone(point.t, query.zone), v: point.v });
      out.push({ sensor: series.key, field: series.field, unit: series.unit, points });
    }
    return out;
  }
}

function isIndicator(aggregate: string): aggregate is NoiseIndicator {
  return (NOISE_INDICATORS as readonly string[]).includes(aggregate);
}
