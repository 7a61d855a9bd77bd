import { DOMAINS, REJECT_REASONS } from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { hostileMessages } from '../fuzz/hostile-messages';
import { recordFuzzResult } from '../fuzz/fuzz-results';
import { distinctPoints, storedRows } from '../support/influx-query';
import { metricValue } from '../support/service';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitWhileProgressing } from '../support/wait-for';
import { FAULT_SIZE } from './fault-results';
import { RssSampler } from './rss-sampler';

const COUNT = Number(process.env['MEETNET_FUZZ_COUNT'] ?? (FAULT_SIZE === 'full' ? 1_000_000 : 100_000));
const RATE_PER_S = 4000;
const SEED = Number(process.env['MEETNET_FUZZ_SEED'] ?? 20261201);
const PER_TICK = RATE_PER_S / 100;
/** Published and not yet taken in or refused: ~80 MB queued in the broker at most. */
const MAX_BACKLOG = 10_000;
const BACKLOG_CHECK_EVERY = 2_000;

/** Every `meetnet_ingest_rejected_total{reason=…}` sample, from one exposition. */
function rejectedByReason(exposition: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of REJECT_REASONS) {
    counts[reason] = metricValue(exposition, `meetnet_ingest_rejected_total{reason="${reason}"}`);
  }
  return counts;
}

describe(`fuzzing the whole path with ${COUNT.toLocaleString('en')} hostile messages`, () => {
  let stack: TestStack;
  let publisher: MqttClient;
  let watcher: MqttClient;

  beforeAll(async () => {
    stack = await startTestStack({ INFLUX_BATCH_SIZE: '5000' });
    publisher = await connectAsync(stack.broker.url, {
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 500,
    });
    watcher = await connectAsync(stack.broker.url, { protocolVersion: 5, clean: true, reconnectPeriod: 500 });
  });
  afterAll(async () => {
    await publisher?.endAsync(true);
    await watcher?.endAsync(true);
    await stack?.stop();
  });

  it(
    'never crashes or disconnects the service; every message is taken in once or refused once with a reason',
    async () => {
      let largestDeadLetter = 0;
      watcher.on('message', (topic, payload) => {
        if (topic.startsWith('meetnet/_rejected/'))
          largestDeadLetter = Math.max(largestDeadLetter, payload.length);
      });
      await watcher.subscribeAsync('meetnet/_rejected/#', { qos: 0 });
      // Mosquitto's own count of messages it dropped for a full queue (published every sys_interval).
      let brokerDropped = 0;
      watcher.on('message', (topic, payload) => {
        if (topic === '$SYS/broker/publish/messages/dropped') brokerDropped = Number(payload.toString());
      });
      await watcher.subscribeAsync('$SYS/broker/publish/messages/dropped', { qos: 0 });
      const rss = new RssSampler();
      rss.start(() => stack.service.process.child.pid);

      const base = Date.now() - COUNT - 60_000;
      const byKind: Record<string, number> = {};
      const byMutation: Record<string, number> = {};
      const validObservations = new Set<string>();
      const started = Date.now();
      // One exposition per look, so every count is of the same moment.
      const accountedFor = async () => {
        const exposition = await stack.service.metrics();
        const sample = (name: string) => metricValue(exposition, name);
        const rejected = rejectedByReason(exposition);
        const accepted = DOMAINS.map((domain) =>
          sample(`meetnet_ingest_accepted_total{domain="${domain}"}`),
        ).reduce((a, b) => a + b, 0);
        const device =
          sample('meetnet_ingest_device_messages_total{kind="status"}') +
          sample('meetnet_ingest_device_messages_total{kind="meta"}');
        const refused = Object.values(rejected).reduce((a, b) => a + b, 0) - rejected['storage_rejected']!;
        return { rejected, accepted, device, total: accepted + device + refused };
      };
      let published = 0;
      let inFlight: Promise<unknown>[] = [];
      for (const message of hostileMessages(COUNT, SEED, base)) {
        byKind[message.kind] = (byKind[message.kind] ?? 0) + 1;
        byMutation[message.mutation] = (byMutation[message.mutation] ?? 0) + 1;
        if (message.valid && message.kind === 'obs') {
          const ts = (JSON.parse(message.payload.toString()) as { ts: number }).ts;
          validObservations.add(`${message.topic.split('/')[2]}|${message.topic.split('/')[3]}|${ts}`);
        }
        inFlight.push(publisher.publishAsync(message.topic, message.payload, { qos: 1 }));
        published += 1;
        if (published % PER_TICK === 0) {
          const due = started + (published / RATE_PER_S) * 1000;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          if (inFlight.length >= BACKLOG_CHECK_EVERY) {
            await Promise.all(inFlight);
            inFlight = [];
            // The broker queues for a slow service up to max_queued_bytes (1 GiB), then drops:
            // a busy machine must not turn the fuzz run into a test of that bound.
            while (published - (await accountedFor()).total > MAX_BACKLOG) {
              await new Promise((resolve) => setTimeout(resolve, 200));
            }
          }
        }
      }
      await Promise.all(inFlight);
      const publishS = (Date.now() - started) / 1000;

      // The broker holds the backlog when the service is slower than the publisher (a busy
      // machine): what counts is that it keeps draining, not how fast.
      // A stall is recorded, not thrown: the figures of a failing run are the ones to commit.
      const counts = await waitWhileProgressing('every message to be taken in or refused', async () => {
        const now = await accountedFor();
        return { done: now.total >= published ? now : undefined, progress: now.total };
      }).catch(async (error: Error) => {
        process.stdout.write(`${error.message}: published ${published}\n`);
        return accountedFor();
      });
      const rows = await waitWhileProgressing('every accepted observation in InfluxDB', async () => {
        const found = (
          await storedRows(stack.influxUrl, stack.bucket, new Date(base - 1000).toISOString())
        ).filter((r) => r.city === 'fuzzville');
        const size = distinctPoints(found).size;
        return { done: size >= counts.accepted ? found : undefined, progress: size };
      });
      rss.stop();
      const stored = new Set(
        [...distinctPoints(rows)].map((p) => {
          const [measurement, sensor, time] = p.split('|');
          return `${measurement}|${sensor}|${time}`;
        }),
      );
      const validStored = [...validObservations].filter((v) => stored.has(v)).length;
      const disconnects = await stack.service.metric('meetnet_mqtt_disconnects_total');
      const final = await accountedFor();

      recordFuzzResult({
        size: FAULT_SIZE,
        seed: SEED,
        published,
        byKind,
        byMutation,
        acceptedObservations: final.accepted,
        acceptedDeviceMessages: final.device,
        rejected: final.rejected,
        stored: stored.size,
        validPublished: validObservations.size,
        validStored,
        unaccounted: published - final.total,
        serviceCrashes: stack.service.process.child.exitCode === null ? 0 : 1,
        serviceDisconnects: disconnects,
        largestDeadLetterBytes: largestDeadLetter,
        brokerDropped,
        publishRatePerS: Math.round(published / publishS),
        durationS: Math.round((Date.now() - started) / 1000),
        peakRssMb: rss.peakMb,
        finishedAt: new Date().toISOString(),
      });

      expect(stack.service.process.child.exitCode).toBeNull();
      expect(disconnects).toBe(0);
      expect(final.total).toBe(published);
      expect(stored.size).toBe(final.accepted);
      expect(validStored).toBe(validObservations.size);
      expect(final.rejected['storage_rejected']).toBe(0);
      expect((await fetch(`${stack.service.url}/readyz`)).status).toBe(200);
      // The publisher's pace is fixed; a slower machine drains the backlog afterwards.
    },
    COUNT * 2,
  );
});
