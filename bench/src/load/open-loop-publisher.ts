import { metaPayload, metaTopic, observationPayload, observationTopic } from './bench-fleet';
import { RawMqttPublisher } from './raw-mqtt-publisher';

export interface LoadOptions {
  brokerUrl: string;
  /** Messages per second across all sensors. */
  rate: number;
  seconds: number;
  qos: 0 | 1;
  sensors: number;
  /** MQTT connections the sensors are spread over (one per sensor when equal to `sensors`). */
  connections: number;
}

export interface LoadResult {
  sent: number;
  /** Epoch ms the first message was due. */
  t0: number;
  /** Epoch ms the last message left (and, at QoS 1, was acknowledged). */
  finishedAt: number;
  achievedRate: number;
  /** How far the publisher fell behind its schedule at worst: a busy machine shows here. */
  maxBehindMs: number;
  meanPayloadBytes: number;
  /** The generator's own CPU seconds for the whole run (it exits before anyone can read /proc). */
  cpuS: number;
}

// Each tick costs a write per connection: 20 ms keeps the generator light beside what it measures.
const TICK_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function connectAll(url: string, count: number, label: string): Promise<RawMqttPublisher[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      RawMqttPublisher.connect(url, `bench-${label}-${process.pid}-${i}`),
    ),
  );
}

async function allAcked(clients: RawMqttPublisher[], expected: number): Promise<void> {
  while (clients.reduce((sum, c) => sum + c.acked, 0) < expected) await sleep(5);
}

/** Retained meta for every sensor, so the service places them on the map. */
export async function publishMeta(clients: RawMqttPublisher[], sensors: number): Promise<void> {
  for (let i = 0; i < sensors; i++)
    clients[i % clients.length]!.publish(metaTopic(i), metaPayload(i, sensors), 1, true);
  for (const client of clients) client.flush();
  await allAcked(clients, sensors);
  for (const client of clients) client.acked = 0;
}

/**
 * Open loop: message k is due at t0 + k/rate whatever the receivers do, so a slow system
 * shows as lag and loss, never as a slower offered load. Each sensor's `ts` is its send time,
 * kept strictly increasing per sensor so no system can merge two messages into one point.
 */
export async function publishAtRate(clients: RawMqttPublisher[], options: LoadOptions): Promise<LoadResult> {
  const total = Math.round(options.rate * options.seconds);
  const lastTs = new Float64Array(options.sensors);
  let sent = 0;
  let bytes = 0;
  let maxBehindMs = 0;
  const t0 = Date.now();
  const cpuBefore = process.cpuUsage();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      const due = Math.min(total, Math.floor(((now - t0) * options.rate) / 1000));
      if (due > sent) maxBehindMs = Math.max(maxBehindMs, now - (t0 + (sent * 1000) / options.rate));
      for (; sent < due; sent++) {
        const sensor = sent % options.sensors;
        const ts = Math.max(now, lastTs[sensor]! + 1);
        lastTs[sensor] = ts;
        const payload = observationPayload(Math.floor(sent / options.sensors), ts);
        bytes += payload.length;
        clients[sensor % clients.length]!.publish(observationTopic(sensor), payload, options.qos);
      }
      for (const client of clients) client.flush();
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  // At QoS 1 the end is the broker's last PUBACK; at QoS 0 the kernel taking the last byte.
  if (options.qos === 1) await allAcked(clients, sent);
  await Promise.all(clients.map((c) => c.drained()));
  const finishedAt = Date.now();
  const used = process.cpuUsage(cpuBefore);
  return {
    sent,
    t0,
    finishedAt,
    achievedRate: Math.round(sent / ((finishedAt - t0) / 1000)),
    maxBehindMs: Math.round(maxBehindMs),
    meanPayloadBytes: sent > 0 ? Math.round(bytes / sent) : 0,
    cpuS: (used.user + used.system) / 1e6,
  };
}
