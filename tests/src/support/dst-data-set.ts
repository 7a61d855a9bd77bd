import { writeLines } from './influx-query';
import type { TestStack } from './test-stack';

/**
 * A known data set around the spring clock change in Brussels (Sunday 29 March 2026, 02:00 →
 * 03:00) for sensor leuven/air/dst-1: one reading per hour on local days 28, 29 (23 hours)
 * and 30 March.
 *   no2   28 March: 24 × 5;  29 March: 1, 2, …, 23;  30 March: 1, 2, …, 24
 *   pm25  7 at every hour of 29 March only
 */
export const LOCAL_MIDNIGHT_28 = Date.parse('2026-03-27T23:00:00Z');
export const LOCAL_MIDNIGHT_29 = Date.parse('2026-03-28T23:00:00Z');
export const LOCAL_MIDNIGHT_30 = Date.parse('2026-03-29T22:00:00Z');
const HOUR = 3_600_000;

export async function writeDstDataSet(stack: TestStack): Promise<void> {
  const lines: string[] = [];
  const line = (t: number, fields: string) => lines.push(`air,city=leuven,sensor_id=dst-1 ${fields} ${t}`);
  for (let h = 0; h < 24; h++) line(LOCAL_MIDNIGHT_28 + h * HOUR, 'no2=5');
  for (let h = 0; h < 23; h++) line(LOCAL_MIDNIGHT_29 + h * HOUR, `no2=${h + 1},pm25=7`);
  for (let h = 0; h < 24; h++) line(LOCAL_MIDNIGHT_30 + h * HOUR, `no2=${h + 1}`);
  await writeLines(stack.influxUrl, stack.bucket, lines);
}
