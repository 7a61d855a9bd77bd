import { parseChartQuery } from './sensor-chart-query';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const air = { city: 'leuven', domain: 'air', sensorId: 'a-1' } as const;
const refusal = (input: Record<string, string>) => {
  try {
    parseChartQuery(air, input, NOW);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('parseChartQuery', () => {
  it("asks the series parser for the domain's chart field, means in UTC over the last day", () => {
    const query = parseChartQuery(air, {}, NOW);
    expect(query).toMatchObject({
      sensors: [air],
      fields: ['no2'],
      aggregate: 'mean',
      zone: 'UTC',
      from: new Date(NOW - 86_400_000),
      to: new Date(NOW),
    });
  });

  it('picks the smallest window that keeps the chart under 300 points', () => {
    expect(parseChartQuery(air, {}, NOW).window).toBe('5m');
    const week = { from: '2026-11-21T12:00:00Z', to: '2026-11-28T12:00:00Z' };
    expect(parseChartQuery(air, week, NOW).window).toBe('1h');
  });

  it("refuses a field the sensor's domain does not measure, listing those it does", () => {
    expect(refusal({ field: 'laeq' })).toBe(
      'field: must be one of pm25, pm10, no2, o3, temperature, humidity for air',
    );
  });

  it('keeps a chart to a month and 5,000 points, where the series API allows more', () => {
    expect(refusal({ from: '2026-09-01T00:00:00Z', to: '2026-11-01T00:00:00Z', every: '1d' })).toBe(
      'range: at most 31 days',
    );
    expect(refusal({ from: '2026-11-01T00:00:00Z', to: '2026-11-28T00:00:00Z', every: '1m' })).toMatch(
      /^points: this asks for about 38880, at most 5000/,
    );
  });

  it('names an unknown parameter and a window the chart does not offer', () => {
    expect(refusal({ window: '1h' })).toBe('window: unknown parameter');
    expect(refusal({ every: '1w' })).toBe('every: must be one of 1m, 5m, 15m, 1h, 1d');
  });
});
