import {
  CITY_PATTERN,
  DOMAIN_FIELDS,
  DOMAINS,
  NOISE_INDICATORS,
  SENSOR_ID_PATTERN,
  SERIES_AGGREGATES,
  SERIES_WINDOW_NAMES,
  SERIES_ZONES,
} from '@meetnet/contracts';
import fc from 'fast-check';
import type { InfluxConnection } from '../influx/influx-connection.service';
import { parseSeriesQuery, SeriesQueryError } from './series-query';
import { SeriesReader } from './series-reader';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const reader = new SeriesReader({ bucket: 'meetnet' } as InfluxConnection);

/** Strings an attacker would try in a Flux query, mixed into arbitrary text. */
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '") |> drop() //',
    '\\"',
    'x" or r._field == "',
    '${bucket}',
    '\n|> yield()',
    'leuven/air/a"b',
    'no2")',
  ),
  fc.constantFrom('leuven/air/air-0001', 'gent/noise/n.1', 'no2', 'laeq', '1d', 'p95', 'UTC', '2026-03-29'),
);
const input = fc.record(
  {
    sensor: fc.oneof(hostile, fc.array(hostile, { maxLength: 3 })),
    field: fc.oneof(hostile, fc.array(hostile, { maxLength: 3 })),
    from: hostile,
    to: hostile,
    window: hostile,
    aggregate: hostile,
    tz: hostile,
  },
  { requiredKeys: [] },
);

// The one Flux shape a series query may have; only the quoted slots vary, and only within these patterns.
const FLUX = new RegExp(
  [
    '^from\\(bucket: "meetnet"\\)\\n',
    '  \\|> range\\(start: time\\(v: "[0-9T:.Z-]+"\\), stop: time\\(v: "[0-9T:.Z-]+"\\)\\)\\n',
    `  \\|> filter\\(fn: \\(r\\) => r\\._measurement == "(${DOMAINS.join('|')})" and r\\.city == "[a-z0-9-]+" and r\\.sensor_id == "[A-Za-z0-9_.-]+" and r\\._field == "[a-z0-9]+"\\)\\n`,
    '  \\|> keep\\(columns: \\["_time", "_value"\\]\\)$',
  ].join(''),
);

describe('series query parameters', () => {
  it('either refuse with a SeriesQueryError or give only allow-listed values, whatever is sent', () => {
    fc.assert(
      fc.property(input, (raw) => {
        let query;
        try {
          query = parseSeriesQuery(raw, NOW);
        } catch (error) {
          expect(error).toBeInstanceOf(SeriesQueryError);
          return;
        }
        for (const sensor of query.sensors) {
          expect(CITY_PATTERN.test(sensor.city) && SENSOR_ID_PATTERN.test(sensor.sensorId)).toBe(true);
          expect(DOMAINS).toContain(sensor.domain);
        }
        for (const field of query.fields) expect(DOMAINS.some((d) => field in DOMAIN_FIELDS[d])).toBe(true);
        expect(SERIES_WINDOW_NAMES).toContain(query.window);
        expect([...SERIES_AGGREGATES, ...NOISE_INDICATORS]).toContain(query.aggregate);
        expect(SERIES_ZONES).toContain(query.zone);
      }),
      { numRuns: 2000 },
    );
  });

  it('never change the Flux beyond its quoted, allow-listed slots', () => {
    fc.assert(
      fc.property(input, (raw) => {
        let query;
        try {
          query = parseSeriesQuery(raw, NOW);
        } catch {
          return;
        }
        for (const sensor of query.sensors) {
          for (const field of query.fields)
            expect(reader.query(sensor, field, query.from, query.to)).toMatch(FLUX);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a well-formed request (so the properties above are not vacuous)', () => {
    const query = parseSeriesQuery(
      { sensor: 'leuven/air/air-0001', field: ['no2'], window: '1d', aggregate: 'p95' },
      NOW,
    );
    expect(reader.query(query.sensors[0]!, 'no2', query.from, query.to)).toMatch(FLUX);
  });
});
