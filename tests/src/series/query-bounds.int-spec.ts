import { connectAsync } from 'mqtt';
import { buildTopic } from '@meetnet/contracts';
import { FaultProxy } from '../support/fault-proxy';
import { writeLines } from '../support/influx-query';
import { freePort } from '../support/free-port';
import { influxUrl, startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const MAX_ROWS = 20_000;
const DENSE_FROM = Date.parse('2026-05-04T00:00:00Z');
const DENSE_ROWS = 30_000;

describe('series and export requests are bounded by what they make InfluxDB read', () => {
  let stack: TestStack;
  const get = (path: string) => stack.service.fetchAs('analyst', path);

  beforeAll(async () => {
    stack = await startTestStack({ API_QUERY_MAX_ROWS: String(MAX_ROWS) });
    // A sensor that reports every second but never sent meta: costed at the default 60 s.
    const lines = Array.from(
      { length: DENSE_ROWS },
      (_, i) => `air,city=leuven,sensor_id=dense-1 no2=${i % 97} ${DENSE_FROM + i * 1000}`,
    );
    await writeLines(stack.influxUrl, stack.bucket, lines);
    // A sensor that declares a 1 s interval: a day of it is 86,400 rows.
    const device = await connectAsync(stack.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    const meta = { name: 'Snel', lat: 50.88, lon: 4.7, model: 'AQ-2', intervalS: 1 };
    await device.publishAsync(
      buildTopic({ city: 'leuven', domain: 'air', sensorId: 'fast-1' }, 'meta'),
      JSON.stringify(meta),
      {
        qos: 1,
        retain: true,
      },
    );
    await device.endAsync();
    await waitFor('the meta to reach the registry', async () => {
      const sensors = (await (await get('/api/v1/sensors')).json()) as { features: Array<{ id: string }> };
      return sensors.features.some((s) => s.id === 'leuven/air/fast-1') || undefined;
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses, before reading, a year of daily means over 20 sensors (every raw row is read)', async () => {
    const sensors = Array.from({ length: 20 }, (_, i) => `sensor=leuven/air/a-${i}`).join('&');
    const response = await get(`/api/v1/series?${sensors}&field=no2&from=2025-06-01&to=2026-06-01&window=1d`);
    expect(response.status).toBe(400);
    const { message } = (await response.json()) as { message: string };
    expect(message).toMatch(
      /^rows: this reads about 10512000 raw rows from InfluxDB, at most 20000 per request/,
    );
    const exported = await get(`/api/v1/export?${sensors}&field=no2&from=2025-06-01&to=2026-06-01&window=1d`);
    expect(exported.status).toBe(400);
  });

  it('costs a sensor by the interval its meta declares', async () => {
    const day = 'field=no2&from=2026-05-04&to=2026-05-05&window=1h';
    // Undeclared: 1,440 rows at the default minute; declared every second: 86,400.
    expect((await get(`/api/v1/series?sensor=leuven/air/slow-1&${day}`)).status).toBe(200);
    const fast = await get(`/api/v1/series?sensor=leuven/air/fast-1&${day}`);
    expect(fast.status).toBe(400);
    expect(((await fast.json()) as { message: string }).message).toContain('about 86400 raw rows');
    const chart = await get(
      `/api/v1/sensors/leuven/air/fast-1/series?field=no2&from=2026-05-04T00:00:00Z&to=2026-05-05T00:00:00Z&every=1h`,
    );
    expect(chart.status).toBe(400);
  });

  it('stops a raw series that reads past its budget, as valid JSON that says it was cut', async () => {
    const response = await get(
      '/api/v1/series?sensor=leuven/air/dense-1&field=no2&from=2026-05-04T00:00:00Z&to=2026-05-05T00:00:00Z&window=raw&tz=UTC',
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      series: Array<{ sensor: string; points: Array<{ t: string; v: number }> }>;
      truncated?: string;
    };
    expect(body.truncated).toBe('rows: this query read more than 20000 raw rows, the most one request may');
    const points = body.series[0]!.points;
    expect(points.length).toBeGreaterThan(0);
    expect(points.length).toBeLessThanOrEqual(MAX_ROWS);
    // In time order from the first reading, each one the value written.
    expect(points[0]).toEqual({ t: '2026-05-04T00:00:00.000Z', v: 0 });
    points.forEach((p, i) => expect(p.v).toBe(i % 97));
  });

  it('answers a raw series within its budget whole, streamed in the same shape', async () => {
    const response = await get(
      '/api/v1/series?sensor=leuven/air/dense-1&sensor=leuven/air/none-1&field=no2&from=2026-05-04T00:00:00Z&to=2026-05-04T01:00:00Z&window=raw&tz=UTC',
    );
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as {
      from: string;
      window: string;
      series: Array<{ sensor: string; field: string; unit: string; points: unknown[] }>;
      truncated?: string;
    };
    expect(body.truncated).toBeUndefined();
    expect(body.from).toBe('2026-05-04T00:00:00.000Z');
    expect(body.window).toBe('raw');
    expect(body.series.map((s) => [s.sensor, s.field, s.unit, s.points.length])).toEqual([
      ['leuven/air/dense-1', 'no2', 'µg/m³', 3600],
      ['leuven/air/none-1', 'no2', 'µg/m³', 0],
    ]);
  });

  it('cuts an export that reads past its budget short, so it cannot pass for a whole file', async () => {
    const response = await get(
      '/api/v1/export?sensor=leuven/air/dense-1&field=no2&from=2026-05-04T00:00:00Z&to=2026-05-05T00:00:00Z&window=raw',
    );
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});

describe('series and exports one user may run at once', () => {
  let stack: TestStack;
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await FaultProxy.start(await freePort(), Number(new URL(influxUrl()).port));
    stack = await startTestStack({
      INFLUX_URL: proxy.url,
      API_QUERIES_PER_USER: '2',
      INFLUX_TIMEOUT_MS: '120000',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.close();
  });

  it('refuses a third while two hang, lets another user in, and frees a slot when a client gives up', async () => {
    const ok = 'sensor=leuven/air/a-1&field=no2&window=raw';
    // A wrong field is refused by the handler, after the slot is taken: 400 means "let in".
    const letIn = 'sensor=leuven/air/a-1&field=laeq';
    await proxy.setMode('hang');
    const aborts = [new AbortController(), new AbortController()];
    const hanging = aborts.map((abort, i) =>
      stack.service
        .fetchAs('analyst', `/api/v1/${i === 0 ? 'series' : 'export'}?${ok}`, { signal: abort.signal })
        .catch((error: Error) => error),
    );
    await waitFor('both queries to reach InfluxDB', async () => {
      const third = await stack.service.fetchAs('analyst', `/api/v1/series?${letIn}`);
      return third.status === 429 ? third : undefined;
    }).then(async (third) => {
      expect(((await third.json()) as { message: string }).message).toMatch(
        /^Too many queries at once: at most 2 series or exports per user/,
      );
    });
    expect(
      (await stack.service.fetchAs('analyst', `/api/v1/sensors/leuven/air/a-1/series?field=no2`)).status,
    ).toBe(429);
    expect((await stack.service.fetchAs('analyst', `/api/v1/export/meta?${ok}`)).status).toBe(429);
    expect((await stack.service.fetchAs('officer', `/api/v1/series?${letIn}`)).status).toBe(400);

    for (const abort of aborts) abort.abort();
    await Promise.all(hanging);
    await waitFor('the slots to be released', async () => {
      const again = await stack.service.fetchAs('analyst', `/api/v1/series?${letIn}`);
      return again.status === 400 || undefined;
    });
    await proxy.setMode('pass');
  });
});
