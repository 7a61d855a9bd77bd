import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTopic, deviceUsername, type SensorAddress } from '@meetnet/contracts';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { accountsCli, deviceCli, issuedEnv } from '../support/accounts-cli';
import { createDatabase } from '../support/influxd';
import { startSecureMosquitto, type SecureMosquittoInstance } from '../support/mosquitto';
import { type ServiceInstance, startService } from '../support/service';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const DEVICES = 100;
const SPOOFS_PER_DEVICE = 10;
const devices: SensorAddress[] = Array.from({ length: DEVICES }, (_, i) => ({
  city: 'leuven',
  domain: 'air',
  sensorId: `sec-${String(i).padStart(3, '0')}`,
}));

/** Connects once, never retries: a refusal must surface as a rejected promise. */
function tryConnect(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  return connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000, ...options });
}

describe('the broker as shipped (infra/mosquitto/mosquitto.conf)', () => {
  let broker: SecureMosquittoInstance;
  let service: ServiceInstance;
  let passwords: Record<string, string>;

  beforeAll(async () => {
    broker = await startSecureMosquitto();
    // Provisioned the way `npm start` provisions the simulators: a list in, credentials out.
    const list = join(broker.dir, 'devices.txt');
    writeFileSync(list, devices.map((d) => `${d.city}/${d.domain}/${d.sensorId}`).join('\n'));
    const credentials = join(broker.dir, 'credentials.json');
    const output = await accountsCli(
      broker,
      'device',
      'add',
      '--from',
      list,
      '--credentials-out',
      credentials,
    );
    expect(output).toContain('Broker reloaded');
    passwords = JSON.parse(readFileSync(credentials, 'utf8')) as Record<string, string>;
    const ingestion = await accountsCli(broker, 'ingestion', 'issue');
    const env = issuedEnv(ingestion);
    const bucket = await createDatabase(influxUrl(), `secure_${randomUUID().replace(/-/g, '')}`);
    // Over TLS, verifying the broker against the development CA.
    service = await startService({
      ...env,
      MQTT_URL: broker.tlsUrl,
      MQTT_CA_FILE: broker.caFile,
      INFLUX_URL: influxUrl(),
      INFLUX_BUCKET: bucket,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await broker?.stop();
  });

  const asDevice = (address: SensorAddress, url = broker.url, options: IClientOptions = {}) =>
    tryConnect(url, {
      username: deviceUsername(address),
      password: passwords[deviceUsername(address)],
      ...options,
    });

  it('refuses all of 100 anonymous connections', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => tryConnect(broker.url)));
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    for (const o of accepted) await o.value.endAsync();
    expect(accepted).toHaveLength(0);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/Not authorized/i);
    // A wrong password is no better than none.
    await expect(
      tryConnect(broker.url, { username: deviceUsername(devices[0]!), password: 'guess' }),
    ).rejects.toThrow();
  });

  it('delivers none of 1,000 spoofed publishes, and each device its own', async () => {
    const clients = await Promise.all(devices.map((d) => asDevice(d)));
    const refusals: string[] = [];
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          for (let k = 1; k <= SPOOFS_PER_DEVICE; k++) {
            // Someone else's topics: neighbours, another city, the dead letters.
            const victim = devices[(i + k) % DEVICES]!;
            const topic =
              k === 9
                ? buildTopic({ ...devices[i]!, city: 'gent' }, 'obs')
                : k === 10
                  ? 'meetnet/_rejected/bad_json'
                  : buildTopic(victim, k % 2 === 0 ? 'obs' : 'status');
            await client
              .publishAsync(topic, JSON.stringify({ ts: Date.now(), no2: 666 }), { qos: 1 })
              .catch((error: Error) => refusals.push(error.message));
          }
          // Then its own reading, after the spoofs on the same connection.
          await client.publishAsync(
            buildTopic(devices[i]!, 'obs'),
            JSON.stringify({ ts: Date.now(), no2: 20 }),
            {
              qos: 1,
            },
          );
        }),
      );
      // MQTT 5 tells the device; MQTT 3.1.1 would acknowledge and drop silently.
      expect(refusals).toHaveLength(DEVICES * SPOOFS_PER_DEVICE);
      expect(new Set(refusals)).toEqual(new Set(['Publish error: Not authorized']));
      const accepted = await waitFor("every device's own reading", async () => {
        const count = await service.metric('meetnet_ingest_accepted_total{domain="air"}');
        return count >= DEVICES ? count : undefined;
      });
      expect(accepted).toBe(DEVICES);
    } finally {
      await Promise.all(clients.map((c) => c.endAsync()));
    }
    expect(await service.metric('meetnet_ingest_accepted_total{domain="air"}')).toBe(DEVICES);
    expect(await service.metric('meetnet_ingest_rejected_total{reason="bad_topic"}')).toBe(0);
  });

  it('lets a device read nothing, not even what it may write', async () => {
    const [listener, talker] = [await asDevice(devices[0]!), await asDevice(devices[1]!)];
    const heard: string[] = [];
    listener.on('message', (topic) => heard.push(topic));
    try {
      await listener.subscribeAsync(['meetnet/#', buildTopic(devices[0]!, 'obs')], { qos: 1 });
      const before = await service.metric('meetnet_ingest_accepted_total{domain="air"}');
      await talker.publishAsync(buildTopic(devices[1]!, 'obs'), JSON.stringify({ ts: Date.now(), no2: 21 }), {
        qos: 1,
      });
      await listener.publishAsync(
        buildTopic(devices[0]!, 'obs'),
        JSON.stringify({ ts: Date.now(), no2: 22 }),
        {
          qos: 1,
        },
      );
      // The ingestion service got both; by then the broker would have routed them to the listener too.
      await waitFor('the service to ingest both', async () =>
        (await service.metric('meetnet_ingest_accepted_total{domain="air"}')) >= before + 2
          ? true
          : undefined,
      );
      expect(heard).toEqual([]);
    } finally {
      await Promise.all([listener.endAsync(), talker.endAsync()]);
    }
  });

  it('drops a revoked device at once, refuses it after, and clears what the broker kept of it', async () => {
    const device = devices[DEVICES - 1]!;
    const client = await asDevice(device);
    const meta = { name: 'Afgevoerd', lat: 50.88, lon: 4.7, model: 'AQ-2', intervalS: 60 };
    await client.publishAsync(buildTopic(device, 'meta'), JSON.stringify(meta), { qos: 1, retain: true });
    await client.publishAsync(buildTopic(device, 'status'), JSON.stringify({ online: true, battery: 80 }), {
      qos: 1,
      retain: true,
    });
    const listed = async () =>
      (
        (await (await service.fetchAs('technician', '/api/v1/sensors')).json()) as {
          features: Array<{ id: string }>;
        }
      ).features.some((f) => f.id === `leuven/air/${device.sensorId}`);
    await waitFor('the device on the map', async () => (await listed()) || undefined);
    // A device that stays: its retained meta shows the check below would see one.
    const staying = await asDevice(devices[0]!);
    await staying.publishAsync(buildTopic(devices[0]!, 'meta'), JSON.stringify(meta), {
      qos: 1,
      retain: true,
    });
    await staying.endAsync();
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const output = await deviceCli(broker, 'revoke', device);
    expect(output).toContain(`Device leuven/air/${device.sensorId} revoked.`);
    expect(output).toContain(
      `Retained ${buildTopic(device, 'meta')} and ${buildTopic(device, 'status')} cleared`,
    );
    await closed;
    client.end(true);
    await expect(asDevice(device)).rejects.toThrow(/Not authorized|Bad User Name or Password/i);
    // Off the map and out of the fleet view at once, and nothing retained to bring it back.
    await waitFor('the device to leave the map', async () => !(await listed()) || undefined);
    const health = await service.fetchAs(
      'technician',
      `/api/v1/health/sensors/leuven/air/${device.sensorId}`,
    );
    expect(health.status).toBe(404);
    const ingestion = issuedEnv(await accountsCli(broker, 'ingestion', 'issue', '--instance', 'check'));
    const reader = await tryConnect(broker.url, {
      username: ingestion['MQTT_USERNAME'],
      password: ingestion['MQTT_PASSWORD'],
    });
    const retained: string[] = [];
    reader.on('message', (topic, payload) => payload.length > 0 && retained.push(topic));
    await reader.subscribeAsync(`meetnet/leuven/air/${device.sensorId}/#`, { qos: 1 });
    await reader.subscribeAsync(`meetnet/leuven/air/${devices[0]!.sensorId}/#`, { qos: 1 });
    await waitFor("the staying device's retained meta", () => retained.length > 0 || undefined);
    await reader.endAsync();
    expect(retained).toEqual([buildTopic(devices[0]!, 'meta')]);
    // The clearing account lived only for the revoke.
    expect(readFileSync(broker.accounts.passwordFile, 'utf8')).not.toContain('meetnet-clear-');
    // Everyone else is still in.
    await (await asDevice(devices[0]!)).endAsync();
  });

  it('speaks only TLS on the TLS port, and only with a certificate it can verify', async () => {
    await expect(
      tryConnect(`mqtt://127.0.0.1:${broker.tlsPort}`, { connectTimeout: 3000 }),
    ).rejects.toThrow();
    // TLS, but a client that trusts only the system's CAs refuses our broker's certificate.
    await expect(asDevice(devices[0]!, broker.tlsUrl)).rejects.toThrow(/certificate/i);
    const client = await asDevice(devices[0]!, broker.tlsUrl, { ca: readFileSync(broker.caFile) });
    expect(client.connected).toBe(true);
    await client.endAsync();
  });
});
