import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { isoInZone } from '../series/series-windows';
import { csvOptions } from './csv-cell';
import { longLine } from './export-writer';

const series = {
  sensor: { city: 'leuven', domain: 'air', sensorId: 'air-0001' },
  key: 'leuven/air/air-0001',
  field: 'no2',
  unit: 'µg/m³',
  decimals: 1,
} as const;

describe('the long CSV fast path', () => {
  it('writes exactly what csv-stringify writes, for any time and value, with either delimiter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.constantFrom<',' | ';'>(',', ';'),
        (t, v, delimiter) => {
          const line = longLine(series, delimiter, 'Europe/Brussels')!;
          const number = (x: number) => (delimiter === ';' ? String(x).replace('.', ',') : String(x));
          const expected = stringify(
            [[isoInZone(t, 'Europe/Brussels'), series.key, series.field, v, series.unit]],
            {
              ...csvOptions(delimiter),
              cast: { number },
            },
          );
          expect(line({ t, v })).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('steps aside for a series whose cells would need quoting or a guard', () => {
    expect(longLine({ ...series, unit: 'a;b' }, ';', 'UTC')).toBeUndefined();
    expect(longLine({ ...series, key: '=cmd' }, ',', 'UTC')).toBeUndefined();
  });
});
