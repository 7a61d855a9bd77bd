import { BENCH_DOMAIN, SEQUENCE_FIELD } from '../load/bench-fleet';

/**
 * Points of the bench's measurement in one database with a time at or after `sinceMs`, by
 * InfluxQL (`count` reads only the field's index blocks, cheap enough to poll under load).
 */
export async function countPoints(influxUrl: string, database: string, sinceMs: number): Promise<number> {
  const q = `SELECT count("${SEQUENCE_FIELD}") FROM "${BENCH_DOMAIN}" WHERE time >= ${Math.floor(sinceMs)}ms`;
  const response = await fetch(`${influxUrl}/query?${new URLSearchParams({ db: database, q })}`);
  if (!response.ok) throw new Error(`count in ${database}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as {
    results: { series?: { values: [string, number][] }[]; error?: string }[];
  };
  const result = body.results[0];
  if (result?.error) throw new Error(`count in ${database}: ${result.error}`);
  return result?.series?.[0]?.values[0]?.[1] ?? 0;
}
