import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { type PointRow, storedRows } from '../support/influx-query';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const HOUR = 3_600_000;
const API_KEY = 'telraam-test-token';
const RECORDED = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'tests/fixtures/telraam/traffic-report.json'), 'utf8'),
) as {
  trafficResponse: { report: Array<Record<string, unknown>> };
};
const ROW = RECORDED.trafficResponse.report[0]!;

interface TrafficRequest {
  apiKey: string | undefined;
  body: { level: string; format: string; id: string; time_start: string; time_end: string };
}

/**
 * Telraam's API as the recordings show it (the real one is out of reach here): every hour asked
 * for, up to `until`, gets the recorded row with its own date. Answers can be scripted: a 429,
 * or a request left hanging.
 */
class FakeTelraam {
  readonly requests: TrafficRequest[] = [];
  until = 0;
  readonly script: Array<'429' | 'hang' | 'huge'> = [];
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    if (request.method !== 'POST' || request.url !== '/v1/reports/traffic') {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(text) as TrafficRequest['body'];
    this.requests.push({ apiKey: request.headers['x-api-key'] as string | undefined, body });
    const next = this.script.shift();
    if (next === 'hang') return; // never answered: the poller's timeout ends it
    if (next === 'huge') {
      // A hostile or broken API: 64 MB of something that is not a report, as fast as it goes.
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const block = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 64 && !response.destroyed; i++) {
        if (!response.write(block)) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end();
      return;
    }
    if (next === '429') {
      response
        .writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' })
        .end('{"message":"Too Many Requests"}');
      return;
    }
    const report = [];
    for (
      let at = Date.parse(body.time_start);
      at < Math.min(Date.parse(body.time_end), this.until);
      at += HOUR
    ) {
      report.push({ ...ROW, segment_id: Number(body.id), date: new Date(at).toISOString() });
    }
    response
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ status_code: 200, message: 'ok', report }));
  }
}

describe('Telraam counters, polled from its API', () => {
  const telraam = new FakeTelraam();
  let stack: TestStack;
  const hoursStored = async (): Promise<PointRow[]> =>
    (await storedRows(stack.influxUrl, stack.bucket)).filter(
      (r) => r.sensor_id === 'telraam-348917' && r._field === 'car',
    );

  beforeAll(async () => {
    const baseUrl = await telraam.start();
    // Telraam has counted up to five hours ago; the first two answers are a 429 and a hang.
    telraam.until = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
    telraam.script.push('429', 'hang');
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-telraam-'));
    writeFileSync(join(dir, 'telraam-key'), API_KEY);
    const sources = {
      sources: [
        {
          name: 'telraam-leuven',
          kind: 'telraam',
          apiKeyFile: 'telraam-key',
          baseUrl,
          pollIntervalS: 1,
          backfillDays: 2,
          timeoutS: 2,
          segments: [
            {
              segment: '348917',
              city: 'leuven',
              sensorId: 'telraam-348917',
              name: 'Naamsesteenweg',
              lat: 50.86,
              lon: 4.69,
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources));
    stack = await startTestStack({ SOURCES_FILE: join(dir, 'sources.json') });
  });
  afterAll(async () => {
    await stack?.stop();
    await telraam.stop();
  });

  it('backfills the last days hour by hour after a 429 and a timeout, with the recorded counts', async () => {
    const from = Math.floor((Date.now() - 2 * 86_400_000) / HOUR) * HOUR;
    const expected = (telraam.until - from) / HOUR;
    const rows = await waitFor(
      'the backfill',
      async () => {
        const found = await hoursStored();
        return found.length >= expected ? found : undefined;
      },
      30_000,
    );
    expect(rows).toHaveLength(expected);
    expect(telraam.requests[0]).toEqual({
      apiKey: API_KEY,
      body: expect.objectContaining({ level: 'segments', format: 'per-hour', id: '348917' }) as unknown,
    });
    // Asked three times at least: the 429, the request left hanging, the one answered.
    expect(telraam.requests.length).toBeGreaterThanOrEqual(3);
    const hour = (await storedRows(stack.influxUrl, stack.bucket)).filter(
      (r) => r.sensor_id === 'telraam-348917' && Date.parse(r._time) === from,
    );
    expect(Object.fromEntries(hour.map((r) => [r._field, r._value]))).toEqual({
      car: 619,
      bike: 263,
      pedestrian: 73,
      heavy: 78,
      v85: 25.5,
      uptime: 73,
      period_s: 3600,
    });
  });

  it('stores each hour once however often it is polled again, and fills the gap when Telraam catches up', async () => {
    const before = (await hoursStored()).length;
    const polled = telraam.requests.length;
    await waitFor(
      'three more polls',
      () => (telraam.requests.length >= polled + 3 ? true : undefined),
      20_000,
    );
    expect(await hoursStored()).toHaveLength(before);
    // Each re-poll starts a few hours before the newest stored hour, not at the backfill's start.
    const last = telraam.requests.at(-1)!.body;
    expect(Date.parse(last.time_start)).toBeGreaterThanOrEqual(telraam.until - 4 * HOUR);
    const caughtUpFrom = telraam.until;
    telraam.until = Math.ceil(Date.now() / HOUR) * HOUR;
    // Every missing hour (five or six, by the clock), not the first five: the next test counts
    // from here, and an hour still on its way would land in its count.
    const missing = (telraam.until - caughtUpFrom) / HOUR;
    expect(missing).toBeGreaterThanOrEqual(5);
    const after = await waitFor(
      'the missing hours',
      async () => {
        const found = await hoursStored();
        return found.length >= before + missing ? found : undefined;
      },
      20_000,
    );
    expect(after).toHaveLength(before + missing);
    const times = after.map((r) => Date.parse(r._time)).sort((a, b) => a - b);
    // Hour after hour, no gap and no hour twice.
    expect(times.every((t, i) => i === 0 || t - times[i - 1]! === HOUR)).toBe(true);
    expect(await stack.service.metric('meetnet_source_connected{source="telraam-leuven"}')).toBe(1);
  });

  it('reads no more than a report can be from an API that answers without end, and polls on', async () => {
    const before = (await hoursStored()).length;
    const requests = telraam.requests.length;
    telraam.script.push('huge');
    await waitFor(
      'the next polls',
      () => (telraam.requests.length >= requests + 3 ? true : undefined),
      20_000,
    );
    const rss = Number(
      (await stack.service.metrics())
        .split('\n')
        .find((line) => line.startsWith('process_resident_memory_bytes '))
        ?.split(' ')[1],
    );
    expect(rss).toBeLessThan(400 * 1024 * 1024);
    expect(await hoursStored()).toHaveLength(before);
    expect(await stack.service.metric('meetnet_source_connected{source="telraam-leuven"}')).toBe(1);
  });
});
