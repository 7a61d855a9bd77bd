import { Point } from '@influxdata/influxdb-client';
import type { Observation } from '@meetnet/contracts';

/**
 * One measurement per domain, tags `sensor_id` and `city` (both checked against the topic
 * patterns, so nothing needs escaping), the device's own timestamp in ms. Same measurement,
 * tags and time overwrite: a redelivered message lands on the same point.
 * Every measured value is a float, so no field ever changes type between writes (InfluxDB
 * refuses a whole batch over one conflict).
 */
export function observationToPoint(observation: Observation): Point {
  const point = new Point(observation.domain)
    .tag('sensor_id', observation.sensorId)
    .tag('city', observation.city)
    .timestamp(observation.ts);
  for (const [field, value] of Object.entries(observation.values)) {
    if (value !== undefined) point.floatField(field, value);
  }
  if (observation.periodS !== undefined) point.intField('period_s', observation.periodS);
  return point;
}

/**
 * The device topic a stored line came from, for dead-lettering a line InfluxDB refused. Our
 * lines carry only topic-checked tag values, so no unescaping is needed.
 */
export function topicOfLine(line: string): string {
  const [series = ''] = line.split(' ', 1);
  const [measurement, ...tags] = series.split(',');
  const tag = Object.fromEntries(tags.map((t) => t.split('=') as [string, string]));
  return `meetnet/${tag['city'] ?? ''}/${measurement ?? ''}/${tag['sensor_id'] ?? ''}/obs`;
}
