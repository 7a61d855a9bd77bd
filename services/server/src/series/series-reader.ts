import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime } from '@influxdata/influxdb-client';
import type { SensorAddress } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';

export interface RawRow {
  /** Epoch ms. */
  t: number;
  v: number;
}

/**
 * Raw rows of one sensor's field, streamed from InfluxDB in time order, in batches: an export
 * of millions of rows pays per chunk, not per row. Request values reach Flux only through the
 * client's `flux` template; the bucket comes from config and the measurement is the sensor's
 * domain, itself allow-listed.
 */
@Injectable()
export class SeriesReader {
  constructor(private readonly influx: InfluxConnection) {}

  /** The Flux for one series: exported for the property test that no input can reshape it. */
  query(sensor: SensorAddress, field: string, from: Date, to: Date): string {
    return flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(from.toISOString())}, stop: ${fluxDateTime(to.toISOString())})
  |> filter(fn: (r) => r._measurement == ${sensor.domain} and r.city == ${sensor.city} and r.sensor_id == ${sensor.sensorId} and r._field == ${field})
  |> keep(columns: ["_time", "_value"])`.toString();
  }

  batches(sensor: SensorAddress, field: string, from: Date, to: Date): AsyncGenerator<RawRow[]> {
    return parseAnnotatedCsv(this.influx.csv(this.query(sensor, field, from, to)));
  }
}

/**
 * InfluxDB's annotated CSV, reduced to the two columns the query keeps (`_time`, `_value`):
 * annotation lines start with `#`, each table with a header line, tables end with a blank line.
 * The columns are our own and hold only RFC 3339 times and numbers, so a line splits on commas.
 */
export async function* parseAnnotatedCsv(body: AsyncIterable<Buffer | string>): AsyncGenerator<RawRow[]> {
  let rest = '';
  let timeAt = -1;
  let valueAt = -1;
  for await (const chunk of body) {
    // ASCII only (times, numbers, our own column names): latin1 decodes it fastest, and a
    // chunk can end anywhere without splitting a character.
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    const batch: RawRow[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
      if (line.startsWith(',result,')) {
        const cells = line.split(',');
        timeAt = cells.indexOf('_time');
        valueAt = cells.indexOf('_value');
        continue;
      }
      if (line.startsWith(',error,')) throw new Error(`InfluxDB: ${line}`);
      if (timeAt === 3 && valueAt === 4) {
        // The usual layout (,result,table,_time,_value): two slices, no array per line.
        const afterTable = line.indexOf(',', line.indexOf(',', 1) + 1);
        const beforeValue = line.indexOf(',', afterTable + 1);
        batch.push({
          t: Date.parse(line.slice(afterTable + 1, beforeValue)),
          v: Number(line.slice(beforeValue + 1)),
        });
      } else {
        const cells = line.split(',');
        batch.push({ t: Date.parse(cells[timeAt]!), v: Number(cells[valueAt]) });
      }
    }
    if (batch.length > 0) yield batch;
  }
}
