import { PassThrough } from 'node:stream';
import { RowLimitReached } from './query-cost';
import type { SeriesKey, SeriesPoint } from './series.service';
import { writeSeriesJson } from './series-json-writer';

const key = (sensorId: string): SeriesKey => ({
  sensor: { city: 'leuven', domain: 'air', sensorId },
  key: `leuven/air/${sensorId}`,
  field: 'no2',
  unit: 'µg/m³',
  decimals: 1,
});
/** InfluxDB's chunks, as they would arrive, then optionally a failure. */
async function* arriving(batches: SeriesPoint[][], failure?: Error): AsyncGenerator<SeriesPoint[]> {
  for (const batch of batches) yield await Promise.resolve(batch);
  if (failure) throw failure;
}

const head = {
  from: 'a',
  to: 'b',
  window: 'raw',
  aggregate: 'mean',
  tz: 'UTC' as const,
  tiers: ['raw' as const],
};

async function written(batchesOf: (series: SeriesKey) => AsyncIterable<SeriesPoint[]>, keys: SeriesKey[]) {
  const target = new PassThrough();
  const chunks: Buffer[] = [];
  target.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = await writeSeriesJson(head, keys, batchesOf, target);
  return { result, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> };
}

describe('writeSeriesJson', () => {
  it('writes what the old in-memory answer held, batch by batch, with commas only between points', async () => {
    const { body, result } = await written(
      (series) =>
        arriving(
          series.key.endsWith('empty')
            ? []
            : [
                [{ t: 0, v: 1.5 }],
                [],
                [
                  { t: 1000, v: 2 },
                  { t: 2000, v: 3 },
                ],
              ],
        ),
      [key('one'), key('empty')],
    );
    expect(result).toEqual({ points: 3, truncated: undefined });
    expect(body).toEqual({
      ...head,
      series: [
        {
          sensor: 'leuven/air/one',
          field: 'no2',
          unit: 'µg/m³',
          points: [
            { t: '1970-01-01T00:00:00.000Z', v: 1.5 },
            { t: '1970-01-01T00:00:01.000Z', v: 2 },
            { t: '1970-01-01T00:00:02.000Z', v: 3 },
          ],
        },
        { sensor: 'leuven/air/empty', field: 'no2', unit: 'µg/m³', points: [] },
      ],
    });
  });

  it('ends as valid JSON that says why when the row budget runs out midway, and reads no further', async () => {
    const asked: string[] = [];
    const { body } = await written(
      (series) => {
        asked.push(series.key);
        return arriving([[{ t: 0, v: 1 }]], new RowLimitReached(10));
      },
      [key('one'), key('two')],
    );
    expect(asked).toEqual(['leuven/air/one']);
    expect(body['truncated']).toBe('rows: this query read more than 10 raw rows, the most one request may');
    expect((body['series'] as unknown[]).length).toBe(1);
  });

  it('lets any other failure through before writing a byte, so the API can still answer with an error', async () => {
    const target = new PassThrough();
    let bytes = 0;
    target.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const failing = () => arriving([], new Error('InfluxDB query: 503'));
    await expect(writeSeriesJson(head, [key('one')], failing, target)).rejects.toThrow('503');
    expect(bytes).toBe(0);
  });
});
