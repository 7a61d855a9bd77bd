import mqtt, { type MqttClient } from 'mqtt';
import { metaPayload, metaTopic, observationPayload, observationTopic } from './bench-fleet';

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

const TICK_MS = 5;

export async function connectAll(url: string, count: number, label: string): Promise<MqttClient[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      mqtt.connectAsync(url, {
        clientId: `bench-${label}-${process.pid}-${i}`,
        clean: true,
        reconnectPeriod: 0,
        protocolVersion: 4,
      }),
    ),
  );
}

/** Retained meta for every sensor, so the service places them on the map. */
export async function publishMeta(clients: MqttClient[], sensors: number): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < sensors; i++) {
    pending.push(
      clients[i % clients.length]!.publishAsync(metaTopic(i), metaPayload(i, sensors), { qos: 1, retain: true }),
    );
  }
  await Promise.all(pending);
}

/**
 * Open loop: message k is due at t0 + k/rate whatever the receivers do, so a slow system
 * shows as lag and loss, never as a slower offered load. Each sensor's `ts` is its send time,
 * kept strictly increasing per sensor so no system can merge two messages into one point.
 */
export async function publishAtRate(clients: MqttClient[], options: LoadOptions): Promise<LoadResult> {
  const total = Math.round(options.rate * options.seconds);
  const lastTs = new Float64Array(options.sensors);
  let acked = 0;
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
        const client = clients[sensor % clients.length]!;
        client.publish(observationTopic(sensor), payload, { qos: options.qos }, () => (acked += 1));
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  // At QoS 1 the callback is the broker's PUBACK; at QoS 0 the hand-over to the socket.
  while (acked < sent) await new Promise((resolve) => setTimeout(resolve, 5));
  await Promise.all(clients.map((c) => waitForDrain(c)));
  const finishedAt = Date.now();
  return {
    sent,
    t0,
    finishedAt,
    achievedRate: Math.round(sent / ((finishedAt - t0) / 1000)),
    maxBehindMs: Math.round(maxBehindMs),
    meanPayloadBytes: sent > 0 ? Math.round(bytes / sent) : 0,
    cpuS: (() => {
      const used = process.cpuUsage(cpuBefore);
      return (used.user + used.system) / 1e6;
    })(),
  };
}

function waitForDrain(client: MqttClient): Promise<void> {
  const stream = client.stream as unknown as { writableLength?: number; once: (e: string, f: () => void) => void };
  if (!stream.writableLength) return Promise.resolve();
  return new Promise((resolve) => stream.once('drain', resolve));
}
