import { createHash } from 'node:crypto';
import {
  buildTopic,
  DEAD_LETTER_EXCERPT_BYTES,
  DEAD_LETTER_MAX_BYTES,
  type DeadLetter,
  DECODE_REJECT_REASONS,
  type RejectReason,
} from '@meetnet/contracts';
import type { MqttClient } from 'mqtt';
import { storedRows } from '../support/influx-query';
import { recordingClient } from '../support/mqtt-client';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const now = () => Date.now();
const obsTopic = (sensorId: string, domain: 'air' | 'noise' | 'mobility' = 'air') =>
  buildTopic({ city: 'leuven', domain, sensorId }, 'obs');

interface BadMessage {
  name: string;
  reason: RejectReason;
  topic: string;
  payload: () => string | Buffer;
}

const BAD_MESSAGES: BadMessage[] = [
  {
    name: 'an unknown domain in the topic',
    reason: 'bad_topic',
    topic: 'meetnet/leuven/water/bad-01/obs',
    payload: () => JSON.stringify({ ts: now(), pm25: 3 }),
  },
  {
    name: 'a sensor id line protocol would have to escape',
    reason: 'bad_topic',
    topic: 'meetnet/leuven/air/bad\\02/obs',
    payload: () => JSON.stringify({ ts: now(), pm25: 3 }),
  },
  {
    name: 'a payload over the size limit',
    reason: 'too_large',
    topic: obsTopic('bad-03'),
    payload: () => JSON.stringify({ ts: now(), pm25: 3, pad: 'x'.repeat(20_000) }),
  },
  {
    name: 'broken JSON',
    reason: 'malformed_json',
    topic: obsTopic('bad-04'),
    payload: () => '{"ts": 1, "pm25": ',
  },
  { name: 'a JSON array', reason: 'malformed_json', topic: obsTopic('bad-05'), payload: () => '[1,2,3]' },
  {
    name: 'bytes that are not UTF-8',
    reason: 'malformed_json',
    topic: obsTopic('bad-06'),
    payload: () => Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
  },
  {
    name: 'an unknown field',
    reason: 'unknown_field',
    topic: obsTopic('bad-07'),
    payload: () => JSON.stringify({ ts: now(), pm25: 3, co2: 400 }),
  },
  {
    name: 'noise without laeq',
    reason: 'missing_field',
    topic: obsTopic('bad-08', 'noise'),
    payload: () => JSON.stringify({ ts: now(), periodS: 60, lamax: 70 }),
  },
  {
    name: 'a number sent as text',
    reason: 'wrong_type',
    topic: obsTopic('bad-09'),
    payload: () => JSON.stringify({ ts: now(), pm25: 'high' }),
  },
  {
    name: 'a humidity of 140 %',
    reason: 'out_of_range',
    topic: obsTopic('bad-10'),
    payload: () => JSON.stringify({ ts: now(), humidity: 140 }),
  },
  {
    name: 'a negative car count',
    reason: 'out_of_range',
    topic: obsTopic('bad-11', 'mobility'),
    payload: () => JSON.stringify({ ts: now(), periodS: 60, car: -3 }),
  },
  {
    name: 'a timestamp in words',
    reason: 'invalid_timestamp',
    topic: obsTopic('bad-12'),
    payload: () => JSON.stringify({ ts: 'yesterday', pm25: 3 }),
  },
  {
    name: 'epoch seconds instead of milliseconds',
    reason: 'invalid_timestamp',
    topic: obsTopic('bad-13'),
    payload: () => JSON.stringify({ ts: Math.floor(now() / 1000), pm25: 3 }),
  },
  {
    name: 'a timestamp eight days old (a stolen credential rewriting history)',
    reason: 'too_old',
    topic: obsTopic('bad-15'),
    payload: () => JSON.stringify({ ts: now() - 8 * 86_400_000, pm25: 3 }),
  },
  {
    name: '12 KB of control characters (its dead letter once wedged the service)',
    reason: 'malformed_json',
    topic: obsTopic('bad-16'),
    payload: () => Buffer.alloc(12_000, 0x01),
  },
  {
    name: "a payload just under the broker's packet limit, all quotes",
    reason: 'too_large',
    topic: obsTopic('bad-17'),
    payload: () => Buffer.alloc(65_000, 0x22),
  },
  {
    name: 'a timestamp a day ahead',
    reason: 'future_timestamp',
    topic: obsTopic('bad-14'),
    payload: () => JSON.stringify({ ts: now() + 86_400_000, pm25: 3 }),
  },
];

describe('bad messages are rejected, counted and dead-lettered, never stored', () => {
  let stack: TestStack;
  let publisher: MqttClient;
  let deadLetters: Array<{ topic: string; payload: string }>;

  beforeAll(async () => {
    stack = await startTestStack();
    const recorder = await recordingClient(stack.broker.url, ['meetnet/_rejected/#']);
    publisher = recorder.client;
    deadLetters = recorder.received;
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await stack?.stop();
  });

  it('covers every reject reason', () => {
    expect(new Set(BAD_MESSAGES.map((m) => m.reason))).toEqual(new Set(DECODE_REJECT_REASONS));
  });

  it.each(BAD_MESSAGES)('rejects $name as $reason', async ({ reason, topic, payload }) => {
    const sample = `meetnet_ingest_rejected_total{reason="${reason}"}`;
    const before = await stack.service.metric(sample);
    const lettersBefore = deadLetters.length;
    const body = payload();
    await publisher.publishAsync(topic, body, { qos: 1 });

    await waitFor(
      `${sample} to go up`,
      async () => (await stack.service.metric(sample)) > before || undefined,
    );
    expect(await stack.service.metric(sample)).toBe(before + 1);
    const letter = await waitFor(
      'the dead letter',
      () => deadLetters.length > lettersBefore && deadLetters.at(-1),
    );
    expect(letter.topic).toBe(`meetnet/_rejected/${reason}`);
    expect(Buffer.byteLength(letter.payload)).toBeLessThanOrEqual(DEAD_LETTER_MAX_BYTES);
    const parsed = JSON.parse(letter.payload) as DeadLetter;
    expect(parsed).toMatchObject({ reason, topic });
    const original = Buffer.from(body);
    const excerpt =
      parsed.excerptEncoding === 'base64'
        ? Buffer.from(parsed.excerpt, 'base64')
        : Buffer.from(parsed.excerpt);
    expect(excerpt.equals(original.subarray(0, DEAD_LETTER_EXCERPT_BYTES))).toBe(true);
    expect(parsed).toMatchObject({
      payloadBytes: original.length,
      payloadSha256: createHash('sha256').update(original).digest('hex'),
      truncated: original.length > DEAD_LETTER_EXCERPT_BYTES,
    });
    expect(deadLetters.length).toBe(lettersBefore + 1);
  });

  it('never lost its broker connection over them', async () => {
    expect(await stack.service.metric('meetnet_mqtt_connected')).toBe(1);
    expect(await stack.service.metric('meetnet_mqtt_disconnects_total')).toBe(0);
  });

  it("shows a technician a sensor's refused messages with reason, time and excerpt", async () => {
    const response = await waitFor('the dead letters of bad-16 in InfluxDB', async () => {
      const r = await stack.service.fetchAs('technician', '/api/v1/health/sensors/leuven/air/bad-16/rejects');
      if (!r.ok) return undefined;
      const body = (await r.json()) as { rejects: DeadLetter[] };
      return body.rejects.length > 0 ? body : undefined;
    });
    expect(response.rejects).toHaveLength(1);
    expect(response.rejects[0]).toMatchObject({
      reason: 'malformed_json',
      payloadBytes: 12_000,
      sensor: { city: 'leuven', domain: 'air', sensorId: 'bad-16' },
    });
    expect(Date.parse(response.rejects[0]!.receivedAt)).toBeGreaterThan(now() - 600_000);
    expect(
      (await stack.service.fetchAs('officer', '/api/v1/health/sensors/leuven/air/bad-16/rejects')).status,
    ).toBe(403);
  });

  it('stores none of them, and still stores a good message afterwards', async () => {
    const topic = obsTopic('good-after-bad');
    const written = await stack.service.metric('meetnet_storage_points_written_total');
    await publisher.publishAsync(topic, JSON.stringify({ ts: now(), pm25: 8.5 }), { qos: 1 });
    await waitFor(
      'the good message to be written',
      async () => (await stack.service.metric('meetnet_storage_points_written_total')) > written || undefined,
    );
    const rows = await storedRows(stack.influxUrl, stack.bucket);
    expect(rows.map((r) => r.sensor_id)).toEqual(['good-after-bad']);
    expect((await fetch(`${stack.service.url}/readyz`)).status).toBe(200);
    expect(stack.service.process.child.exitCode).toBeNull();
  });
});
