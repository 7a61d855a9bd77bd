import {
  buildTopic,
  type Domain,
  DOMAINS,
  domainSpec,
  LIVE_NAMESPACE,
  type SensorLatest,
} from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { validObservationOf } from '../support/domain-observation';
import { storedRows } from '../support/influx-query';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const addressOf = (domain: Domain) => ({ city: 'leuven', domain, sensorId: 'registry-1' });

/** No silent spot: every domain the registry holds reaches each consumer, without naming it. */
describe('every domain in the registry, through the whole service', () => {
  let stack: TestStack;
  let device: MqttClient;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    device = await connectAsync(stack.broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    for (const [index, domain] of DOMAINS.entries()) {
      const meta = {
        name: `Register ${domain}`,
        lat: 50.87 + index / 1000,
        lon: 4.7,
        model: 'X',
        intervalS: 60,
      };
      await device.publishAsync(buildTopic(addressOf(domain), 'meta'), JSON.stringify(meta), {
        qos: 1,
        retain: true,
      });
    }
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await device?.endAsync();
    await stack?.stop();
  });

  it.each(DOMAINS)(
    '%s: a valid observation built from its spec is stored, listed and sent live',
    async (domain) => {
      const observation = { ts: Date.now(), ...validObservationOf(domain, () => 0.5) };
      await device.publishAsync(buildTopic(addressOf(domain), 'obs'), JSON.stringify(observation), {
        qos: 1,
      });
      const { periodS: _periodS, ...values } = observation as Record<string, number>;
      delete values['ts'];
      const key = `leuven/${domain}/registry-1`;
      const listed = await waitFor(`the ${domain} sensor with its values`, async () => {
        const body = (await (await stack.service.fetchAs('officer', '/api/v1/sensors')).json()) as {
          features: Array<{ id: string; properties: SensorLatest }>;
        };
        const feature = body.features.find((f) => f.id === key);
        return feature && Object.keys(feature.properties.values).length > 0 ? feature : undefined;
      });
      expect(listed.properties.values).toEqual(values);
      const rows = await waitFor(`the ${domain} observation in InfluxDB`, async () => {
        const found = (await storedRows(stack.influxUrl, stack.bucket)).filter(
          (r) => r._measurement === domain && r.sensor_id === 'registry-1',
        );
        return found.length >= Object.keys(values).length ? found : undefined;
      });
      // The period is stored beside the values, as `period_s`.
      const stored = [...Object.keys(values), ...(domainSpec(domain).period ? ['period_s'] : [])];
      expect(new Set(rows.map((r) => r._field))).toEqual(new Set(stored));

      const socket = io(`${stack.service.url}${LIVE_NAMESPACE}`, {
        transports: ['websocket'],
        extraHeaders: { Cookie: await stack.service.signIn('officer') },
      });
      sockets.push(socket);
      const snapshots: SensorLatest[][] = [];
      socket.on('snapshot', (s: SensorLatest[]) => snapshots.push(s));
      expect(await socket.emitWithAck('subscribe', { layers: [domain] })).toEqual({ ok: true });
      await waitFor('the snapshot', () => snapshots.length > 0 || undefined);
      expect(snapshots[0]!.map((s) => s.key)).toEqual([key]);
    },
  );

  it('lists every domain, and only those, wherever the OpenAPI document names a domain', async () => {
    const document = (await (await fetch(`${stack.service.url}/api/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<string, { parameters?: Array<{ name: string; schema?: { enum?: string[] } }> }>
      >;
    };
    const enums = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .flatMap((operation) => operation.parameters ?? [])
      .filter((parameter) => parameter.name === 'domain')
      .map((parameter) => parameter.schema?.enum);
    expect(enums.length).toBeGreaterThanOrEqual(3);
    for (const values of enums) expect(values).toEqual([...DOMAINS]);
  });

  it('takes a live subscription to all layers at once, and refuses a layer that is no domain', async () => {
    const socket = io(`${stack.service.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      extraHeaders: { Cookie: await stack.service.signIn('technician') },
    });
    sockets.push(socket);
    expect(await socket.emitWithAck('subscribe', { layers: [...DOMAINS] })).toEqual({ ok: true });
    const refused = (await socket.emitWithAck('subscribe', { layers: ['water'] })) as { ok: boolean };
    expect(refused.ok).toBe(false);
  });
});
