import { buildTopic, type DeadLetter, type RejectReason, DECODE_REJECT_REASONS } from '@meetnet/contracts';
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
    topic: 'meetnet/leuven/weather/bad-01/obs',
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
    const parsed = JSON.parse(letter.payload) as DeadLetter;
    expect(parsed).toMatchObject({ reason, topic });
    const original =
      parsed.payloadEncoding === 'base64'
        ? Buffer.from(parsed.payload, 'base64')
        : Buffer.from(parsed.payload);
    expect(original.equals(Buffer.from(body))).toBe(true);
    expect(deadLetters.length).toBe(lettersBefore + 1);
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
