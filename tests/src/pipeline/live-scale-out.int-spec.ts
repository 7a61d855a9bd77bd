import { randomUUID } from 'node:crypto';
import { buildTopic, LIVE_NAMESPACE, type SensorLatest } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { createDatabase } from '../support/influxd';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import type { ServiceInstance } from '../support/service';
import { startShareGroup } from '../support/share-group';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const SENSORS = 40;
// The machine's Redis (as in DESIGN.md); CI runs on the same machine.
const REDIS_URL = process.env['MEETNET_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('the live fan-out across instances (socket.io Redis adapter)', () => {
  let broker: MosquittoInstance;
  const services: ServiceInstance[] = [];
  let socket: Socket | undefined;

  afterAll(async () => {
    socket?.disconnect();
    await Promise.all(services.map((s) => s.stop()));
    await broker?.stop();
  });

  it('delivers to a client on one instance what another instance ingested', async () => {
    broker = await startMosquitto();
    const bucket = await createDatabase(influxUrl(), `live_scale_${randomUUID().replace(/-/g, '')}`);
    services.push(
      ...(await startShareGroup('live-scale', 2, {
        MQTT_URL: broker.url,
        INFLUX_URL: influxUrl(),
        INFLUX_BUCKET: bucket,
        REDIS_URL,
      })),
    );
    socket = io(`${services[1]!.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      extraHeaders: { Cookie: await services[1]!.signIn('officer') },
    });
    const seen = new Set<string>();
    socket.on('batch', (batch: SensorLatest[]) => batch.forEach((s) => seen.add(s.key)));
    expect(await socket.emitWithAck('subscribe', { layers: ['air'] })).toEqual({ ok: true });

    const device = await connectAsync(broker.url, { protocolVersion: 5 });
    for (let i = 0; i < SENSORS; i++) {
      const topic = buildTopic({ city: 'hasselt', domain: 'air', sensorId: `ls-${i}` }, 'obs');
      await device.publishAsync(topic, JSON.stringify({ ts: Date.now(), pm25: 9 }), { qos: 1 });
    }
    await device.endAsync();

    const accepted = await waitFor('both instances to ingest their share', async () => {
      const counts = await Promise.all(
        services.map((s) => s.metric('meetnet_ingest_accepted_total{domain="air"}')),
      );
      return counts[0]! + counts[1]! >= SENSORS ? counts : undefined;
    });
    // Instance a ingested some of them itself; only Redis can bring those to a client on b.
    expect(accepted[0]).toBeGreaterThan(0);
    await waitFor('every sensor on the client of instance b', () => seen.size >= SENSORS || undefined);
    expect(seen.size).toBe(SENSORS);
  });
});
