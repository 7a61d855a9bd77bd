import { writeDstDataSet } from '../support/dst-data-set';
import { writeLines } from '../support/influx-query';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('GET /api/v1/series on InfluxDB, around a daylight-saving change', () => {
  let stack: TestStack;
  const get = (query: string) => stack.service.fetchAs('analyst', `/api/v1/series?${query}`);
  const points = async (query: string) => {
    const response = await get(query);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { series: Array<{ points: Array<{ t: string; v: number }> }> };
    return body.series[0]!.points;
  };
  const days = 'sensor=leuven/air/dst-1&field=no2&from=2026-03-28&to=2026-03-31&window=1d';

  beforeAll(async () => {
    stack = await startTestStack();
    await writeDstDataSet(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('cuts Brussels days at local midnight: 24, 23 and 24 readings', async () => {
    expect(await points(`${days}&aggregate=count`)).toEqual([
      { t: '2026-03-28T00:00:00.000+01:00', v: 24 },
      { t: '2026-03-29T00:00:00.000+01:00', v: 23 },
      { t: '2026-03-30T00:00:00.000+02:00', v: 24 },
    ]);
  });

  it('computes each aggregate of the 23-hour day as worked out by hand', async () => {
    const day29 = async (aggregate: string) => (await points(`${days}&aggregate=${aggregate}`))[1]!.v;
    expect(await day29('mean')).toBe(12); // (1 + … + 23) / 23 = 276 / 23
    expect(await day29('sum')).toBe(276);
    expect(await day29('min')).toBe(1);
    expect(await day29('max')).toBe(23);
    expect(await day29('last')).toBe(23);
    // Sorted 1 … 23: rank 0.95 × 22 = 20.9, so 21 + 0.9 × (22 − 21).
    expect(await day29('p95')).toBeCloseTo(21.9, 10);
    expect((await points(`${days}&aggregate=mean`))[2]!.v).toBe(12.5); // (1 + … + 24) / 24
  });

  it('cuts UTC days at UTC midnight instead', async () => {
    const utc = await points(`${days}&aggregate=sum&tz=UTC`);
    // UTC 28 March holds local 28 March 01:00–23:00 (23 × 5) and local 29 March 00:00 (1).
    expect(utc[0]).toEqual({ t: '2026-03-28T00:00:00.000Z', v: 23 * 5 + 1 });
  });

  it('returns raw readings with their local time', async () => {
    const raw = await points(
      'sensor=leuven/air/dst-1&field=no2&from=2026-03-29T01:00:00%2B01:00&to=2026-03-29T04:00:00%2B02:00&window=raw',
    );
    expect(raw).toEqual([
      { t: '2026-03-29T01:00:00.000+01:00', v: 2 },
      { t: '2026-03-29T03:00:00.000+02:00', v: 3 },
    ]);
  });

  it('gives Lden and Lday per day from 07:00 local, as worked out by hand', async () => {
    // 15 June 2026, Brussels summer time: 07–13 h at 60 dB, 13–19 h at 70, 19–23 h at 55, 23–07 h at 50.
    const start = Date.parse('2026-06-15T07:00:00+02:00');
    const level = (h: number) => (h < 6 ? 60 : h < 12 ? 70 : h < 16 ? 55 : 50);
    const lines = Array.from(
      { length: 24 },
      (_, h) => `noise,city=leuven,sensor_id=lden-1 laeq=${level(h)} ${start + h * 3_600_000}`,
    );
    await writeLines(stack.influxUrl, stack.bucket, lines);
    const query = 'sensor=leuven/noise/lden-1&field=laeq&from=2026-06-15&to=2026-06-17&window=1d';
    const lden = await points(`${query}&aggregate=lden`);
    expect(lden.map((p) => p.t)).toEqual(['2026-06-15T07:00:00.000+02:00']);
    // 10·log10((12·5.5·10^6 + 4·10^(60/10) + 8·10^(60/10)) / 24) = 10·log10(3.25·10^6)
    expect(lden[0]!.v).toBeCloseTo(65.11883, 4);
    // 10·log10((6·10^6 + 6·10^7) / 12)
    expect((await points(`${query}&aggregate=lday`))[0]!.v).toBeCloseTo(67.40363, 4);
    const wrong = await get('sensor=leuven/noise/lden-1&field=laeq&window=1h&aggregate=lden');
    expect(((await wrong.json()) as { message: string }).message).toBe(
      'aggregate: lden is a daily noise indicator: use window=1d and field=laeq',
    );
  });

  it.each([
    ['sensor=leuven/air/dst-1&field=no2&limit=5', 'limit: unknown parameter'],
    ['sensor=leuven/air/dst-1&field=laeq', 'field: "laeq" is not measured by any of the sensors'],
    [
      'sensor=leuven/air/dst-1&field=no2&window=2h',
      'window: must be one of raw, 1m, 5m, 15m, 1h, 1d, 1w, 1mo',
    ],
    ['sensor=leuven/air/dst-1&field=no2&from=2024-01-01&to=2026-01-01', 'range: at most 366 days'],
    [
      'sensor=leuven/air/dst-1&field=no2&from=2026-01-01&to=2026-03-01&window=raw',
      'range: at most 31 days of raw data',
    ],
    [
      'sensor=leuven/air/dst-1&field=no2&from=2026-01-01&to=2026-12-31&window=1m',
      'points: this asks for about 524160, at most 500000; choose a longer window or a shorter range',
    ],
    [
      'sensor=leuven/air/x")%20|>%20drop()&field=no2',
      'sensor: "leuven/air/x") |> drop()" is not city/domain/id',
    ],
    [
      'sensor=leuven/air/dst-1&field=no2&from=2026-03-29T10:00',
      'from: an ISO 8601 date, or a date and time with Z or an offset',
    ],
  ])('refuses %s with a 400 naming the parameter or limit', async (query, message) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(message);
  });
});
