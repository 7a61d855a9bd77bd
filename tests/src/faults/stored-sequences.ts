import { InfluxDB } from '@influxdata/influxdb-client';
import { sensorOf } from './numbered-publisher';

export interface StoredCount {
  /** Points stored in the run's time window. */
  points: number;
  /** Distinct sequence numbers those points belong to. */
  sequences: Set<number>;
  /** Points that do not belong to a message of this run (wrong sensor for their instant). */
  foreign: number;
}

/** Counts what InfluxDB holds for a run, through Flux. */
export async function storedSequences(
  influxUrl: string,
  bucket: string,
  base: number,
  count: number,
): Promise<StoredCount> {
  const query = new InfluxDB({ url: influxUrl, token: 'meetnet:test', timeout: 60_000 }).getQueryApi(
    'meetnet',
  );
  const start = new Date(base - 1000).toISOString();
  const stop = new Date(base + count + 1000).toISOString();
  const rows = await query.collectRows<{ _time: string; sensor_id: string }>(
    `from(bucket: "${bucket}")
      |> range(start: ${start}, stop: ${stop})
      |> filter(fn: (r) => r._measurement == "air" and r._field == "pm25")
      |> keep(columns: ["_time", "sensor_id"])`,
  );
  const sequences = new Set<number>();
  let foreign = 0;
  for (const row of rows) {
    const seq = Date.parse(row._time) - base;
    if (seq < 0 || seq >= count || sensorOf(seq) !== row.sensor_id) foreign += 1;
    else sequences.add(seq);
  }
  return { points: rows.length, sequences, foreign };
}
