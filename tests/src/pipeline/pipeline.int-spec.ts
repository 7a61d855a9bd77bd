import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTopic, timestampToEpochMs } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { startProcess } from '../support/child-process';
import { distinctPoints, storedRows } from '../support/influx-query';
import { SIMULATOR_CLI } from '../support/paths';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

interface Recorded {
  topic: string;
  payload: Record<string, number | string>;
}

describe('simulators → Mosquitto → service → InfluxDB', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stores every observation a simulator run publishes exactly once, with its values and timestamp', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'meetnet-sim-')), 'published.ndjson');
    const simulator = startProcess(
      'node',
      [
        SIMULATOR_CLI,
        '--url',
        stack.broker.url,
        '--sensors',
        '60',
        '--interval',
        '1',
        '--duration',
        '4',
        '--seed',
        'pipeline-test',
        '--record',
        record,
        '--json',
        '--progress',
        '0',
      ],
      {},
    );
    expect(await simulator.exited).toBe(0);
    const summary = JSON.parse(simulator.output().trim().split('\n').pop() ?? '{}') as {
      published: number;
      acknowledged: number;
    };
    const published = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Recorded);
    expect(summary.published).toBe(published.length);
    expect(summary.acknowledged).toBe(published.length);
    expect(published.length).toBeGreaterThan(200);

    const rows = await waitFor('every published observation to be queryable', async () => {
      const found = await storedRows(stack.influxUrl, stack.bucket);
      return distinctPoints(found).size >= published.length ? found : undefined;
    });
    expect(distinctPoints(rows).size).toBe(published.length);

    const byKey = new Map(rows.map((r) => [`${r.sensor_id}|${Date.parse(r._time)}|${r._field}`, r._value]));
    let fields = 0;
    for (const { topic, payload } of published) {
      const sensorId = topic.split('/')[3];
      const ts = timestampToEpochMs(payload['ts'] as number);
      for (const [field, value] of Object.entries(payload)) {
        if (field === 'ts') continue;
        const stored = byKey.get(`${sensorId}|${ts}|${field === 'periodS' ? 'period_s' : field}`);
        expect({ topic, field, value: stored }).toEqual({ topic, field, value });
        fields += 1;
      }
    }
    // Nothing stored that was not published.
    expect(rows.length).toBe(fields);
    expect(await stack.service.metric('meetnet_ingest_rejected_total{reason="bad_topic"}')).toBe(0);
  });

  it('stores a message delivered twice as one point', async () => {
    const client = await connectAsync(stack.broker.url, { protocolVersion: 5 });
    const topic = buildTopic({ city: 'leuven', domain: 'air', sensorId: 'twice-1' }, 'obs');
    // An hour ago on the hour, with an offset: recent enough for the accepted age.
    const at = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000);
    const stored = at.toISOString().replace('.000Z', 'Z');
    const payload = JSON.stringify({ ts: at.toISOString().replace('Z', '+00:00'), pm25: 17.5, no2: 40 });
    const writtenBefore = await stack.service.metric('meetnet_storage_points_written_total');
    await client.publishAsync(topic, payload, { qos: 1 });
    await client.publishAsync(topic, payload, { qos: 1 });
    await client.endAsync();

    await waitFor(
      'both copies to be written',
      async () =>
        (await stack.service.metric('meetnet_storage_points_written_total')) >= writtenBefore + 2 ||
        undefined,
    );
    const rows = (await storedRows(stack.influxUrl, stack.bucket)).filter((r) => r.sensor_id === 'twice-1');
    expect(distinctPoints(rows).size).toBe(1);
    expect(rows.map((r) => [r._time, r._field, r._value]).sort()).toEqual([
      [stored, 'no2', 40],
      [stored, 'pm25', 17.5],
    ]);
  });
});
