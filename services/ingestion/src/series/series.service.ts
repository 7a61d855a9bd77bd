import { Injectable } from '@nestjs/common';
import { DOMAIN_FIELDS, type FieldSpec, type SensorAddress, sensorKey } from '@meetnet/contracts';
import { WindowAccumulator } from './series-aggregate';
import type { SeriesQuery } from './series-query';
import { SeriesReader } from './series-reader';
import { isoInZone, windowOf } from './series-windows';

export interface SeriesPointOut {
  /** The window's start (or the reading's time for raw), ISO 8601 with the zone's offset. */
  t: string;
  v: number;
}

export interface SeriesOut {
  sensor: string;
  field: string;
  unit: string;
  points: SeriesPointOut[];
}

/**
 * Series per sensor and field. Windows are cut in the service, not in Flux: InfluxDB 1.8's Flux
 * has no time zones, and a Brussels day is 23 or 25 hours twice a year. Rows arrive in time
 * order per field, so each window is folded and emitted as soon as the next one starts.
 */
@Injectable()
export class SeriesService {
  constructor(private readonly reader: SeriesReader) {}

  async series(query: SeriesQuery): Promise<SeriesOut[]> {
    const out: SeriesOut[] = [];
    for (const sensor of query.sensors) {
      const fields = query.fields.filter((f) => f in DOMAIN_FIELDS[sensor.domain]);
      const bySeries = new Map(fields.map((field) => [field, this.empty(sensor, field)]));
      const open = new Map<string, { start: number; accumulator: WindowAccumulator }>();
      const close = (field: string) => {
        const current = open.get(field);
        if (current && !current.accumulator.empty) {
          bySeries
            .get(field)!
            .points.push({ t: isoInZone(current.start, query.zone), v: current.accumulator.result() });
        }
        open.delete(field);
      };
      for await (const row of this.reader.rows(sensor, fields, query.from, query.to)) {
        const series = bySeries.get(row.field);
        // [from, to): InfluxDB 1.8 also returns a row stamped exactly at `to`.
        if (!series || row.t < query.from.getTime() || row.t >= query.to.getTime()) continue;
        if (query.window === 'raw') {
          series.points.push({ t: isoInZone(row.t, query.zone), v: row.value });
          continue;
        }
        const { start } = windowOf(row.t, query.window, query.zone);
        if (open.get(row.field)?.start !== start) {
          close(row.field);
          open.set(row.field, { start, accumulator: new WindowAccumulator(query.aggregate) });
        }
        open.get(row.field)!.accumulator.add(row.value);
      }
      for (const field of fields) close(field);
      out.push(...bySeries.values());
    }
    return out;
  }

  private empty(sensor: SensorAddress, field: string): SeriesOut {
    const spec = (DOMAIN_FIELDS[sensor.domain] as Record<string, FieldSpec>)[field];
    return { sensor: sensorKey(sensor), field, unit: spec?.unit ?? '', points: [] };
  }
}
