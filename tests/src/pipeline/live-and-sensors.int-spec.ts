import { buildTopic, LIVE_NAMESPACE, type SensorLatest } from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const address = { city: 'leuven', domain: 'air', sensorId: 'live-1' } as const;
const meta = { name: 'Naamsestraat', lat: 50.8769, lon: 4.7005, model: 'AQ-2', intervalS: 5 };

describe('sensors REST and the live fan-out', () => {
  let stack: TestStack;
  let device: MqttClient;
  let socket: Socket | undefined;

  beforeAll(async () => {
    stack = await startTestStack();
    device = await connectAsync(stack.broker.url, { protocolVersion: 5 });
    await device.publishAsync(buildTopic(address, 'meta'), JSON.stringify(meta), { qos: 1, retain: true });
  });
  afterAll(async () => {
    socket?.disconnect();
    await device?.endAsync();
    await stack?.stop();
  });

  it('lists a sensor with its location and latest values as GeoJSON', async () => {
    await device.publishAsync(buildTopic(address, 'obs'), JSON.stringify({ ts: Date.now(), no2: 31.5 }), {
      qos: 1,
    });
    const collection = await waitFor('the sensor with a value', async () => {
      const body = (await (await stack.service.fetchAs('officer', '/api/v1/sensors')).json()) as {
        features: Array<{ id: string; geometry: { coordinates: number[] }; properties: SensorLatest }>;
      };
      return body.features.some((f) => f.properties.values.no2 === 31.5) ? body : undefined;
    });
    const feature = collection.features.find((f) => f.id === 'leuven/air/live-1')!;
    expect(feature.geometry.coordinates).toEqual([4.7005, 50.8769]);
    expect(feature.properties).toMatchObject({ name: 'Naamsestraat', domain: 'air', values: { no2: 31.5 } });
  });

  it('answers a series request from InfluxDB, and refuses a bad one with the reason', async () => {
    const url = '/api/v1/sensors/leuven/air/live-1/series';
    const get = (path: string) => stack.service.fetchAs('analyst', path);
    const series = await waitFor('the stored point in the series', async () => {
      const body = (await (await get(`${url}?field=no2&every=5m`)).json()) as {
        points: Array<{ v: number }>;
      };
      return body.points.length > 0 ? body : undefined;
    });
    expect(series).toMatchObject({ field: 'no2', every: '5m', points: [{ v: 31.5 }] });
    const bad = await get(`${url}?field=laeq`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe(
      'field: must be one of pm25, pm10, no2, o3, temperature, humidity for air',
    );
    expect((await get(`${url}?every=7m`)).status).toBe(400);
    expect((await get(`${url}?from=2020-01-01T00:00:00Z`)).status).toBe(400);
  });

  it('sends a snapshot on subscription, then the changes', async () => {
    socket = io(`${stack.service.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      extraHeaders: { Cookie: await stack.service.signIn('officer') },
    });
    const snapshots: SensorLatest[][] = [];
    const batches: SensorLatest[][] = [];
    socket.on('snapshot', (s: SensorLatest[]) => snapshots.push(s));
    socket.on('batch', (b: SensorLatest[]) => batches.push(b));
    const ack = (await socket.emitWithAck('subscribe', { layers: ['air'] })) as { ok: boolean };
    expect(ack).toEqual({ ok: true });
    await waitFor('the snapshot', () => snapshots.length > 0 || undefined);
    expect(snapshots[0]!.map((s) => s.key)).toContain('leuven/air/live-1');

    await device.publishAsync(buildTopic(address, 'obs'), JSON.stringify({ ts: Date.now(), no2: 77 }), {
      qos: 1,
    });
    const batch = await waitFor('a batch with the new value', () =>
      batches.find((b) => b.some((s) => s.values.no2 === 77)),
    );
    expect(batch.filter((s) => s.key === 'leuven/air/live-1')).toHaveLength(1);

    const refused = (await socket.emitWithAck('subscribe', { layers: ['water'] })) as {
      ok: boolean;
      error: string;
    };
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/layers/);
  });
});
