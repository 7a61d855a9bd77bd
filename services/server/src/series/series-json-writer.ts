import type { Writable } from 'node:stream';
import type { SeriesAnswer } from '@meetnet/contracts';
import { RowLimitReached } from './query-cost';
import { ResponseSink } from './response-sink';
import type { SeriesKey, SeriesPoint } from './series.service';
import { isoInZone } from './series-windows';

export type SeriesAnswerHead = Omit<SeriesAnswer, 'series' | 'truncated'>;

/**
 * `GET /series`'s answer written as it is read, so a month of raw data never sits in memory:
 * `{ ...head, series: [{ sensor, field, unit, points: [{ t, v }] }] }`. A request that reads
 * past its row budget still ends as valid JSON, with `truncated` saying why it stopped.
 */
export async function writeSeriesJson(
  head: SeriesAnswerHead,
  keys: readonly SeriesKey[],
  batches: (series: SeriesKey) => AsyncIterable<SeriesPoint[]>,
  target: Writable,
): Promise<{ points: number; truncated?: string }> {
  const sink = new ResponseSink(target);
  let points = 0;
  let truncated: string | undefined;
  let opened = false;
  // Nothing is written before InfluxDB has answered the first query, so a database that is
  // down still gets the usual error response rather than a cut-off body.
  const open = async () => {
    if (opened) return;
    opened = true;
    await sink.write(`${JSON.stringify(head).slice(0, -1)},"series":[`);
  };
  for (const [index, series] of keys.entries()) {
    if (sink.closed) break;
    const about = JSON.stringify({ sensor: series.key, field: series.field, unit: series.unit });
    let inSeries = 0;
    let started = false;
    const start = async () => {
      if (started) return;
      started = true;
      await open();
      await sink.write(`${index === 0 ? '' : ','}${about.slice(0, -1)},"points":[`);
    };
    try {
      for await (const batch of batches(series)) {
        await start();
        if (sink.closed) break;
        if (batch.length === 0) continue;
        // ISO times need no escaping, and a finite number prints as JSON does: no stringify per point.
        const items = batch.map(
          (point) =>
            `{"t":"${isoInZone(point.t, head.tz)}","v":${Number.isFinite(point.v) ? point.v : 'null'}}`,
        );
        await sink.write(`${inSeries === 0 ? '' : ','}${items.join(',')}`);
        inSeries += items.length;
        points += items.length;
      }
    } catch (error) {
      if (!(error instanceof RowLimitReached)) throw error;
      truncated = error.message;
    }
    await start();
    await sink.write(']}');
    if (truncated) break;
  }
  await open();
  await sink.write(`]${truncated ? `,"truncated":${JSON.stringify(truncated)}` : ''}}`);
  return { points, truncated };
}
