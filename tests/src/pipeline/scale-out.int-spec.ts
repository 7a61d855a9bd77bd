import { randomUUID } from 'node:crypto';
import { buildTopic } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { createDatabase } from '../support/influxd';
import { distinctPoints, storedRows } from '../support/influx-query';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import type { ServiceInstance } from '../support/service';
import { startShareGroup } from '../support/share-group';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const MESSAGES = 400;

describe('several instances in one share group', () => {
  let broker: MosquittoInstance;
  const services: ServiceInstance[] = [];

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await broker?.stop();
  });

  it('split the ingest between them and store every message once', async () => {
    broker = await startMosquitto();
    const bucket = await createDatabase(influxUrl(), `scale_${randomUUID().replace(/-/g, '')}`);
    services.push(
      ...(await startShareGroup('scale-test', 2, {
        MQTT_URL: broker.url,
        INFLUX_URL: influxUrl(),
        INFLUX_BUCKET: bucket,
      })),
    );
    const client = await connectAsync(broker.url, { protocolVersion: 5 });
    const base = Date.now() - 60_000;
    for (let i = 0; i < MESSAGES; i++) {
      const topic = buildTopic({ city: 'mechelen', domain: 'air', sensorId: `s-${i % 20}` }, 'obs');
      await client.publishAsync(topic, JSON.stringify({ ts: base + i, pm25: i % 100 }), { qos: 1 });
    }
    await client.endAsync();

    const accepted = async () =>
      Promise.all(services.map((s) => s.metric('meetnet_ingest_accepted_total{domain="air"}')));
    const perInstance = await waitFor('every message accepted', async () => {
      const counts = await accepted();
      return counts[0]! + counts[1]! >= MESSAGES ? counts : undefined;
    });
    expect(perInstance[0]! + perInstance[1]!).toBe(MESSAGES);
    expect(Math.min(...perInstance)).toBeGreaterThan(MESSAGES / 10);
    const rows = await waitFor('every point stored', async () => {
      const found = await storedRows(influxUrl(), bucket);
      return distinctPoints(found).size >= MESSAGES ? found : undefined;
    });
    expect(distinctPoints(rows).size).toBe(MESSAGES);
  });
});
