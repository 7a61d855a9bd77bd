import { InfluxDB } from '@influxdata/influxdb-client';
import { DOMAINS } from '@meetnet/contracts';

export interface PointRow {
  _time: string;
  _measurement: string;
  _field: string;
  _value: number;
  sensor_id: string;
  city: string;
}

/**
 * Every stored observation value of a bucket in a time range, through Flux (as users query it):
 * the domain measurements only, not dead letters (`rejected`) or health history.
 */
export async function storedRows(influxUrl: string, bucket: string, start = '-30d'): Promise<PointRow[]> {
  const query = new InfluxDB({ url: influxUrl, token: 'meetnet:test' }).getQueryApi('meetnet');
  return query.collectRows<PointRow>(
    `from(bucket: "${bucket}") |> range(start: ${start}, stop: 2100-01-01T00:00:00Z) |> filter(fn: (r) => r._measurement =~ /^(${DOMAINS.join('|')})$/)`,
  );
}

/** Distinct points (measurement, sensor, timestamp), the unit an observation is stored as. */
export function distinctPoints(rows: readonly PointRow[]): Set<string> {
  return new Set(rows.map((r) => `${r._measurement}|${r.sensor_id}|${Date.parse(r._time)}`));
}

/** Line protocol (ms times) straight into the test's bucket, as an operator would backfill it. */
export async function writeLines(influxUrl: string, bucket: string, lines: readonly string[]): Promise<void> {
  const response = await fetch(`${influxUrl}/api/v2/write?bucket=${bucket}&precision=ms`, {
    method: 'POST',
    headers: { Authorization: 'Token meetnet:test' },
    body: lines.join('\n'),
  });
  if (response.status !== 204)
    throw new Error(`writing ${lines.length} lines: ${response.status} ${await response.text()}`);
}
