import { PassThrough } from 'node:stream';
import { RowLimitReached } from './query-cost';
import type { SeriesKey, SeriesPoint } from './series.service';
import { writeSeriesJson } from './series-json-writer';

const key = (sensorId: string): SeriesKey => ({
  sensor: { city: 'leuven', domain: 'air', sensorId },
  key: `leuven/air/${sensorId}`,
  field: 'no2',
  unit: 'µg/m³',
});
const head = { from: 'a', to: 'b', window: 'raw', aggregate: 'mean', tz: 'UTC' as const };

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
      async function* (series) {
        if (series.key.endsWith('empty')) return;
        yield [{ t: 0, v: 1.5 }];
        yield [];
        yield [
          { t: 1000, v: 2 },
          { t: 2000, v: 3 },
        ];
      },
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
      async function* (series) {
        asked.push(series.key);
        yield [{ t: 0, v: 1 }];
        throw new RowLimitReached(10);
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
    // eslint-disable-next-line require-yield
    const failing = async function* (): AsyncGenerator<SeriesPoint[]> {
      throw new Error('InfluxDB query: 503');
    };
    await expect(writeSeriesJson(head, [key('one')], failing, target)).rejects.toThrow('503');
    expect(bytes).toBe(0);
  });
});
