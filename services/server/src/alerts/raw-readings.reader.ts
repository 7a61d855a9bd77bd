import { Injectable } from '@nestjs/common';
import { flux, fluxDateTime } from '@influxdata/influxdb-client';
import type { Domain } from '@meetnet/contracts';
import { InfluxConnection } from '../influx/influx-connection.service';

export interface RawReading {
  key: string;
  city: string;
  ts: number;
  value: number;
}

interface ReadingRow {
  _time: string;
  _value: number;
  city: string;
  sensor_id: string;
}

/** A sweep reads a minute or two; more than this is a backlog, judged over several runs. */
const MAX_READINGS = 100_000;

/** One field's readings over [start, stop), oldest first, whichever instance took them in. */
@Injectable()
export class RawReadingsReader {
  constructor(private readonly influx: InfluxConnection) {}

  async read(domain: Domain, field: string, range: { start: number; stop: number }): Promise<RawReading[]> {
    const rows = await this.influx.rows<ReadingRow>(flux`from(bucket: ${this.influx.bucket})
  |> range(start: ${fluxDateTime(new Date(range.start).toISOString())}, stop: ${fluxDateTime(new Date(range.stop).toISOString())})
  |> filter(fn: (r) => r._measurement == ${domain} and r._field == ${field})
  |> keep(columns: ["_time", "_value", "city", "sensor_id"])
  |> group()
  |> sort(columns: ["_time"])
  |> limit(n: ${MAX_READINGS})`);
    return rows.map((row) => ({
      key: `${row.city}/${domain}/${row.sensor_id}`,
      city: row.city,
      ts: Date.parse(row._time),
      value: Number(row._value),
    }));
  }
}
