import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { SeriesKey, SeriesPoint } from '../series/series.service';
import { isoInZone, type SeriesZone } from '../series/series-windows';
import { csvOptions, guardCell } from './csv-cell';
import type { ExportRequest } from './export-request';

export type SeriesStream = (series: SeriesKey) => AsyncIterable<SeriesPoint>;

interface Sink {
  write(chunk: string): Promise<void>;
  /** True once the client went away: stop reading from InfluxDB. */
  readonly closed: boolean;
}

/** Waits for the socket when its buffer is full, so memory stays flat whatever the range. */
export function sinkOf(target: Writable): Sink {
  let closed = false;
  target.once('close', () => (closed = true));
  return {
    get closed() {
      return closed;
    },
    async write(chunk) {
      if (!target.write(chunk)) await Promise.race([once(target, 'drain'), once(target, 'close')]);
    },
  };
}

/** Streams the export to `target`; returns the number of data rows written. */
export async function writeExport(
  request: ExportRequest,
  keys: SeriesKey[],
  points: SeriesStream,
  target: Writable,
): Promise<number> {
  switch (request.format) {
    case 'csv':
      return request.layout === 'wide'
        ? writeCsv(request, target, wideHeader(keys), wideRows(keys, points, request.query.zone))
        : writeCsv(
            request,
            target,
            ['time', 'sensor', 'field', 'value', 'unit'],
            longRows(keys, points, request.query.zone),
          );
    case 'ndjson':
      return writeJsonLines(keys, points, request.query.zone, sinkOf(target), (line) => `${line}\n`, '', '');
    case 'json':
      return writeJsonLines(
        keys,
        points,
        request.query.zone,
        sinkOf(target),
        (line, first) => (first ? line : `,${line}`),
        '[',
        ']',
      );
  }
}

type Cell = string | number;

async function* longRows(keys: SeriesKey[], points: SeriesStream, zone: SeriesZone): AsyncGenerator<Cell[]> {
  for (const series of keys) {
    for await (const point of points(series))
      yield [isoInZone(point.t, zone), series.key, series.field, point.v, series.unit];
  }
}

function wideHeader(keys: SeriesKey[]): string[] {
  return ['time', ...keys.map((s) => `${s.key} ${s.field} (${s.unit})`)];
}

/** One row per time, one column per series: a merge of the series, each already in time order. */
async function* wideRows(keys: SeriesKey[], points: SeriesStream, zone: SeriesZone): AsyncGenerator<Cell[]> {
  const iterators = keys.map((series) => points(series)[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((it) => it.next()));
  for (;;) {
    const times = heads.filter((h) => !h.done).map((h) => (h.value).t);
    if (times.length === 0) return;
    const t = Math.min(...times);
    const row: Cell[] = [isoInZone(t, zone)];
    for (const [i, head] of heads.entries()) {
      if (!head.done && head.value.t === t) {
        row.push(head.value.v);
        heads[i] = await iterators[i]!.next();
      } else row.push('');
    }
    yield row;
  }
}

async function writeCsv(
  request: ExportRequest,
  target: Writable,
  header: string[],
  rows: AsyncIterable<Cell[]>,
): Promise<number> {
  const semicolon = request.delimiter === 'semicolon';
  const csv = stringify({
    ...csvOptions(semicolon ? ';' : ','),
    cast: { number: (v) => (semicolon ? String(v).replace('.', ',') : String(v)) },
  });
  csv.pipe(target);
  const sink = sinkOf(target);
  const put = async (record: Cell[]) => {
    if (!csv.write(record.map((cell) => (typeof cell === 'string' ? guardCell(cell) : cell)))) {
      await Promise.race([once(csv, 'drain'), once(target, 'close')]);
    }
  };
  if (request.bom) target.write('\uFEFF');
  await put(header);
  let count = 0;
  for await (const row of rows) {
    if (sink.closed) break;
    await put(row);
    count += 1;
  }
  csv.end();
  await Promise.race([once(csv, 'end'), once(target, 'close')]);
  return count;
}

async function writeJsonLines(
  keys: SeriesKey[],
  points: SeriesStream,
  zone: SeriesZone,
  sink: Sink,
  frame: (line: string, first: boolean) => string,
  open: string,
  close: string,
): Promise<number> {
  let count = 0;
  if (open) await sink.write(open);
  for (const series of keys) {
    for await (const point of points(series)) {
      if (sink.closed) return count;
      const line = JSON.stringify({
        time: isoInZone(point.t, zone),
        sensor: series.key,
        field: series.field,
        value: point.v,
        unit: series.unit,
      });
      await sink.write(frame(line, count === 0));
      count += 1;
    }
  }
  if (close) await sink.write(close);
  return count;
}
