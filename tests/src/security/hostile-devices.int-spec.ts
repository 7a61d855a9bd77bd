import { randomUUID } from 'node:crypto';
import { buildTopic, type DeadLetter, deviceUsername, type SensorAddress } from '@meetnet/contracts';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { accountsCli, deviceCli, issuedEnv, printedPassword } from '../support/accounts-cli';
import { createDatabase } from '../support/influxd';
import { startSecureMosquitto, type SecureMosquittoInstance } from '../support/mosquitto';
import { type ServiceInstance, startService } from '../support/service';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const honest: SensorAddress = { city: 'leuven', domain: 'air', sensorId: 'honest-1' };
const hostile: SensorAddress = { city: 'leuven', domain: 'air', sensorId: 'hostile-1' };
/** What the service asks for; with the shipped config the broker uses its username instead. */
const SERVICE_CLIENT_ID = 'meetnet-ingestion-under-test';

/** One device of the fleet and a stolen credential, against the broker exactly as shipped. */
describe('a hostile device with its own credentials, on the broker as shipped', () => {
  let broker: SecureMosquittoInstance;
  let service: ServiceInstance;
  let serviceEnv: Record<string, string>;
  const passwords: Record<string, string> = {};

  beforeAll(async () => {
    broker = await startSecureMosquitto();
    for (const device of [honest, hostile]) {
      const out = await deviceCli(broker, 'add', device);
      passwords[deviceUsername(device)] = printedPassword(out);
    }
    const bucket = await createDatabase(influxUrl(), `hostile_${randomUUID().replace(/-/g, '')}`);
    serviceEnv = {
      ...issuedEnv(await accountsCli(broker, 'ingestion', 'issue')),
      MQTT_URL: broker.tlsUrl,
      MQTT_CA_FILE: broker.caFile,
      MQTT_CLIENT_ID: SERVICE_CLIENT_ID,
      INFLUX_URL: influxUrl(),
      INFLUX_BUCKET: bucket,
    };
    service = await startService(serviceEnv);
  });
  afterAll(async () => {
    await service?.stop();
    await broker?.stop();
  });

  const asDevice = (device: SensorAddress, options: IClientOptions = {}): Promise<MqttClient> =>
    connectAsync(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      username: deviceUsername(device),
      password: passwords[deviceUsername(device)],
      ...options,
    });
  const reading = (no2: number) => JSON.stringify({ ts: Date.now(), no2 });

  it('cannot knock the service off by connecting with its client id', async () => {
    for (const clientId of [SERVICE_CLIENT_ID, 'meetnet-ingestion']) {
      const impostor = await asDevice(hostile, { clientId, clean: true });
      await impostor.endAsync();
    }
    const device = await asDevice(honest);
    const before = await service.metric('meetnet_ingest_accepted_total{domain="air"}');
    await device.publishAsync(buildTopic(honest, 'obs'), reading(20), { qos: 1 });
    await device.endAsync();
    await waitFor(
      'the reading',
      async () => (await service.metric('meetnet_ingest_accepted_total{domain="air"}')) > before || undefined,
    );
    expect(await service.metric('meetnet_mqtt_disconnects_total')).toBe(0);
  });

  it("cannot take over the service's persistent session and its backlog while the service is away", async () => {
    await service.stop();
    const device = await asDevice(honest);
    for (let i = 0; i < 20; i++) await device.publishAsync(buildTopic(honest, 'obs'), reading(i), { qos: 1 });
    await device.endAsync();
    // A clean start under the service's id would end its session and drop the 20 queued messages.
    for (const clientId of [SERVICE_CLIENT_ID, 'meetnet-ingestion']) {
      const impostor = await asDevice(hostile, { clientId, clean: true });
      await impostor.endAsync();
    }
    service = await startService(serviceEnv);
    const accepted = await waitFor('the backlog', async () => {
      const count = await service.metric('meetnet_ingest_accepted_total{domain="air"}');
      return count >= 20 ? count : undefined;
    });
    expect(accepted).toBe(20);
  });

  it("can flood only itself: its excess is refused as rate_limited while an honest device's readings flow", async () => {
    // A service with a real budget, beside the one above (same broker, its own account).
    const bucket = await createDatabase(influxUrl(), `flood_${randomUUID().replace(/-/g, '')}`);
    await service.stop();
    service = await startService({
      ...serviceEnv,
      INFLUX_BUCKET: bucket,
      INGEST_DEVICE_RATE_PER_S: '5',
      INGEST_DEVICE_BURST: '20',
      HEALTH_EVAL_INTERVAL_MS: '500',
    });
    const [attacker, device] = [await asDevice(hostile), await asDevice(honest)];
    // Read before the flood starts: its burst is taken in at once.
    const acceptedBefore = await service.metric('meetnet_ingest_accepted_total{domain="air"}');
    const flood = Array.from({ length: 2000 }, (_, i) =>
      attacker.publishAsync(buildTopic(hostile, 'obs'), JSON.stringify({ ts: Date.now() - i, no2: 1 }), {
        qos: 1,
      }),
    );
    for (let i = 0; i < 10; i++) {
      await device.publishAsync(buildTopic(honest, 'obs'), reading(30 + i), { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await Promise.all(flood);
    await Promise.all([attacker.endAsync(), device.endAsync()]);
    const counted = async () => {
      const limited = await service.metric('meetnet_ingest_rejected_total{reason="rate_limited"}');
      const accepted = (await service.metric('meetnet_ingest_accepted_total{domain="air"}')) - acceptedBefore;
      return { limited, accepted };
    };
    const { limited, accepted } = await waitFor('every message to be counted', async () => {
      const counts = await counted();
      return counts.limited + counts.accepted >= 2010 ? counts : undefined;
    });
    // The honest device's 10, and the hostile one's burst plus what its budget refilled: each once.
    expect(limited + accepted).toBe(2010);
    expect(accepted).toBeGreaterThanOrEqual(10 + 20);
    expect(accepted).toBeLessThan(10 + 20 + 5 * 30);
    const problems = await waitFor('a flooding problem on the hostile device', async () => {
      const r = await service.fetchAs('technician', '/api/v1/health/sensors/leuven/air/hostile-1');
      const body = (await r.json()) as { sensor: { problems: Array<{ problem: string }> } };
      return body.sensor.problems.some((p) => p.problem === 'flooding') ? body.sensor.problems : undefined;
    });
    expect(problems.map((p) => p.problem)).toContain('flooding');
    const other = (await (
      await service.fetchAs('technician', '/api/v1/health/sensors/leuven/air/honest-1')
    ).json()) as {
      sensor: { problems: Array<{ problem: string }> };
    };
    expect(other.sensor.problems.map((p) => p.problem)).not.toContain('flooding');
  });

  it('lets the dead-letter account read dead letters, and nothing else', async () => {
    const reader = await connectAsync(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...(await accountsCli(broker, 'dead-letters', 'issue').then((out) => {
        const env = issuedEnv(out);
        return { username: env['MQTT_USERNAME'], password: env['MQTT_PASSWORD'] };
      })),
    });
    const heard: Array<{ topic: string; letter: DeadLetter }> = [];
    reader.on('message', (topic, payload) =>
      heard.push({ topic, letter: JSON.parse(payload.toString()) as DeadLetter }),
    );
    await reader.subscribeAsync(['meetnet/_rejected/#', 'meetnet/+/+/+/obs'], { qos: 1 });
    const device = await asDevice(honest);
    await device.publishAsync(buildTopic(honest, 'obs'), '{"ts":', { qos: 1 });
    await device.publishAsync(buildTopic(honest, 'obs'), reading(12), { qos: 1 });
    await device.endAsync();
    await waitFor('the dead letter', () => heard.length > 0 || undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await reader.endAsync();
    expect(heard.map((h) => h.topic)).toEqual(['meetnet/_rejected/malformed_json']);
    expect(heard[0]!.letter).toMatchObject({
      reason: 'malformed_json',
      excerpt: '{"ts":',
      sensor: { sensorId: 'honest-1' },
    });
  });
});
