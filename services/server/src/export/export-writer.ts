import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { SeriesKey, SeriesPoint } from '../series/series.service';
import type { SeriesZone } from '@meetnet/contracts';
import { ResponseSink } from '../series/response-sink';
import { isoInZone } from '../series/series-windows';
import { csvOptions, guardCell } from './csv-cell';
import type { ExportRequest } from './export-request';

/** A series' points, a batch at a time, in time order. */
export type SeriesBatches = (series: SeriesKey) => AsyncIterable<SeriesPoint[]>;

type Cell = string | number;

/** Streams the export to `target`; returns the number of data rows written. */
export async function writeExport(
  request: ExportRequest,
  keys: SeriesKey[],
  batches: SeriesBatches,
  target: Writable,
): Promise<number> {
  const sink = new ResponseSink(target);
  const { zone } = request.query;
  switch (request.format) {
    case 'csv': {
      const semicolon = request.delimiter === 'semicolon';
      // csv-stringify does the quoting; a batch at a time, as one string per chunk.
      const options = {
        ...csvOptions(semicolon ? ';' : ','),
        cast: { number: (v: number) => (semicolon ? String(v).replace('.', ',') : String(v)) },
      };
      const csv = (records: Cell[][]) =>
        stringify(
          records.map((r) => r.map((c) => (typeof c === 'string' ? guardCell(c) : c))),
          options,
        );
      if (request.bom) await sink.write('\uFEFF');
      const wide = request.layout === 'wide';
      await sink.write(csv([wide ? wideHeader(keys) : ['time', 'sensor', 'field', 'value', 'unit']]));
      let count = 0;
      if (wide) {
        for await (const records of wideRows(keys, batches, zone)) {
          if (sink.closed) break;
          await sink.write(csv(records));
          count += records.length;
        }
        return count;
      }
      for (const series of keys) {
        const line = longLine(series, semicolon ? ';' : ',', zone);
        for await (const batch of batches(series)) {
          if (sink.closed) return count;
          await sink.write(
            line ? batch.map(line).join('') : csv(batch.map((p) => longRecord(series, p, zone))),
          );
          count += batch.length;
        }
      }
      return count;
    }
    case 'ndjson':
    case 'json': {
      const json = request.format === 'json';
      let count = 0;
      if (json) await sink.write('[');
      for (const series of keys) {
        for await (const batch of batches(series)) {
          if (sink.closed) return count;
          const lines = batch.map((p) =>
            JSON.stringify({
              time: isoInZone(p.t, zone),
              sensor: series.key,
              field: series.field,
              value: p.v,
              unit: series.unit,
            }),
          );
          await sink.write(json ? `${count === 0 ? '' : ','}${lines.join(',')}` : `${lines.join('\n')}\n`);
          count += batch.length;
        }
      }
      if (json) await sink.write(']');
      return count;
    }
  }
}

function longRecord(series: SeriesKey, p: SeriesPoint, zone: SeriesZone): Cell[] {
  return [isoInZone(p.t, zone), series.key, series.field, p.v, series.unit];
}

/**
 * The fast path of long CSV, for the usual case: when the series' own cells (sensor, field,
 * unit: from allow-lists) need neither quoting nor a formula guard, and the others are an
 * ISO time and a number, a row is the cells joined, exactly what csv-stringify would write.
 * Anything else goes through csv-stringify. Millions of rows pay a join, not a parser.
 */
export function longLine(
  series: SeriesKey,
  delimiter: ',' | ';',
  zone: SeriesZone,
): ((p: SeriesPoint) => string) | undefined {
  const cells = [series.key, series.field, series.unit];
  const plain = (cell: string) => guardCell(cell) === cell && !/[",;\r\n]/.test(cell);
  if (!cells.every(plain)) return undefined;
  const middle = `${delimiter}${series.key}${delimiter}${series.field}${delimiter}`;
  const tail = `${delimiter}${series.unit}\r\n`;
  const number = delimiter === ';' ? (v: number) => String(v).replace('.', ',') : String;
  return (p) => `${isoInZone(p.t, zone)}${middle}${number(p.v)}${tail}`;
}

function wideHeader(keys: SeriesKey[]): string[] {
  return ['time', ...keys.map((s) => `${s.key} ${s.field} (${s.unit})`)];
}

/** One point at a time from a series' batches. */
async function* flatten(batches: AsyncIterable<SeriesPoint[]>): AsyncGenerator<SeriesPoint> {
  for await (const batch of batches) yield* batch;
}

/** One row per time, one column per series: a merge of the series, each already in time order. */
async function* wideRows(
  keys: SeriesKey[],
  batches: SeriesBatches,
  zone: SeriesZone,
): AsyncGenerator<Cell[][]> {
  const iterators = keys.map((series) => flatten(batches(series)));
  const heads = await Promise.all(iterators.map((it) => it.next()));
  let rows: Cell[][] = [];
  for (;;) {
    const times = heads.filter((h) => !h.done).map((h) => h.value.t);
    if (times.length === 0) break;
    const t = Math.min(...times);
    const row: Cell[] = [isoInZone(t, zone)];
    for (const [i, head] of heads.entries()) {
      if (!head.done && head.value.t === t) {
        row.push(head.value.v);
        heads[i] = await iterators[i]!.next();
      } else row.push('');
    }
    rows.push(row);
    if (rows.length === 1000) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows;
}
