import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { type MosquittoInstance, startNetworkServerBroker } from '../support/mosquitto';
import { recordingClient } from '../support/mqtt-client';
import { REPO_ROOT } from '../support/paths';
import { type PointRow, storedRows } from '../support/influx-query';
import { startService } from '../support/service';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

type Json = Record<string, unknown>;

const UPLINKS = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'tests/fixtures/lorawan/uplinks.json'), 'utf8'),
) as Record<'ttn' | 'chirpstack', Record<string, { topic: string; payload: Json }>>;

const TTN_APP = 'meetnet-leuven@ttn';
const CS_APP = '32dafeb5-0865-4edd-bf1c-3f8d9b07af52';
const TTN_KEY = 'NNSXS.TEST-APPLICATION-KEY';
const CS_KEY = 'chirpstack-test-key';

/** The fixture's uplink as the network server would send it now, with this frame counter. */
function ttnUplink(kind: 'air' | 'noise', fCnt: number, atMs = Date.now()): Json {
  const uplink = structuredClone(UPLINKS.ttn[kind]!.payload);
  uplink['received_at'] = new Date(atMs).toISOString();
  const message = uplink['uplink_message'] as Json;
  message['received_at'] = new Date(atMs).toISOString();
  message['f_cnt'] = fCnt;
  return uplink;
}

function chirpstackUplink(deduplicationId: string, atMs = Date.now()): Json {
  const event = structuredClone(UPLINKS.chirpstack['air']!.payload);
  event['deduplicationId'] = deduplicationId;
  event['time'] = new Date(atMs).toISOString();
  (event['rxInfo'] as Json[])[0]!['nsTime'] = new Date(atMs).toISOString();
  return event;
}

const DECENTLAB_FIELDS = {
  pm25: { path: 'pm2_5_mass_concentration.value' },
  pm10: { path: 'pm10_mass_concentration.value' },
  temperature: { path: 'air_temperature.value' },
  humidity: { path: 'air_humidity.value' },
};

describe('LoRaWAN network servers as sources (The Things Stack v3, ChirpStack v4)', () => {
  let ttn: MosquittoInstance;
  let chirpstack: MosquittoInstance;
  let stack: TestStack;
  let ttnPublisher: MqttClient;
  let csPublisher: MqttClient;
  let deadLetters: Awaited<ReturnType<typeof recordingClient>>;
  let serviceEnv: Record<string, string>;

  const rowsOf = async (sensorId: string): Promise<PointRow[]> =>
    (await storedRows(stack.influxUrl, stack.bucket)).filter((r) => r.sensor_id === sensorId);
  const pointsOf = async (sensorId: string, field: string) =>
    (await rowsOf(sensorId)).filter((r) => r._field === field);
  const uplinks = (source: string, outcome: string) =>
    stack.service.metric(`meetnet_source_uplinks_total{source="${source}",outcome="${outcome}"}`);

  beforeAll(async () => {
    ttn = await startNetworkServerBroker(TTN_APP, TTN_KEY);
    chirpstack = await startNetworkServerBroker('meetnet', CS_KEY);
    const dir = mkdtempSync(join(tmpdir(), 'meetnet-sources-'));
    writeFileSync(join(dir, 'ttn-key'), `${TTN_KEY}\n`);
    writeFileSync(join(dir, 'chirpstack-key'), CS_KEY);
    const sources = {
      sources: [
        {
          name: 'ttn-leuven',
          kind: 'ttn-v3',
          broker: { url: ttn.url, username: TTN_APP, passwordFile: 'ttn-key' },
          application: TTN_APP,
          profiles: {
            'decentlab-dl-pm': { domain: 'air', intervalS: 600, fields: DECENTLAB_FIELDS },
            'milesight-ws302': {
              domain: 'noise',
              intervalS: 300,
              fields: { laeq: { path: 'LAeq' }, lamax: { path: 'LAFmax' } },
              battery: { path: 'battery' },
            },
          },
          devices: [
            {
              device: '03022',
              profile: 'decentlab-dl-pm',
              city: 'leuven',
              sensorId: 'dlpm-03022',
              name: 'Naamsestraat (TTN)',
              lat: 50.874,
              lon: 4.704,
            },
            {
              device: 'eui-1000000000000001',
              profile: 'milesight-ws302',
              city: 'leuven',
              sensorId: 'ws302-0001',
              name: 'Ladeuzeplein (TTN)',
              lat: 50.878,
              lon: 4.706,
            },
          ],
        },
        {
          name: 'chirpstack-leuven',
          kind: 'chirpstack-v4',
          broker: { url: chirpstack.url, username: 'meetnet', passwordFile: 'chirpstack-key' },
          application: CS_APP,
          profiles: { 'decentlab-dl-pm': { domain: 'air', intervalS: 600, fields: DECENTLAB_FIELDS } },
          devices: [
            {
              device: '70b3d57ba0003bb8',
              profile: 'decentlab-dl-pm',
              city: 'leuven',
              sensorId: 'dlpm-3bb8',
              name: 'Tiensestraat (ChirpStack)',
              lat: 50.876,
              lon: 4.71,
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources));
    // A spool of its own, so that the service restarted after a kill finds what it took in.
    serviceEnv = {
      SOURCES_FILE: join(dir, 'sources.json'),
      SPOOL_DIR: join(dir, 'spool'),
      HEALTH_EVAL_INTERVAL_MS: '500',
    };
    stack = await startTestStack(serviceEnv);
    deadLetters = await recordingClient(stack.broker.url, ['meetnet/_rejected/#']);
    ttnPublisher = await connectAsync(ttn.url, { username: TTN_APP, password: TTN_KEY, reconnectPeriod: 0 });
    csPublisher = await connectAsync(chirpstack.url, {
      username: 'meetnet',
      password: CS_KEY,
      reconnectPeriod: 0,
    });
    await waitFor('the service on both network servers', async () =>
      (await stack.service.metric('meetnet_source_connected{source="ttn-leuven"}')) === 1 &&
      (await stack.service.metric('meetnet_source_connected{source="chirpstack-leuven"}')) === 1
        ? true
        : undefined,
    );
  });
  afterAll(async () => {
    await Promise.all([ttnPublisher?.endAsync(), csPublisher?.endAsync(), deadLetters?.client.endAsync()]);
    await stack?.stop();
    await ttn?.stop();
    await chirpstack?.stop().catch(() => undefined);
  });

  const publishTtn = (device: string, body: Json | string) =>
    ttnPublisher.publishAsync(
      `v3/${TTN_APP}/devices/${device}/up`,
      typeof body === 'string' ? body : JSON.stringify(body),
      { qos: 1 },
    );
  const publishChirpstack = (device: string, body: Json) =>
    csPublisher.publishAsync(`application/${CS_APP}/device/${device}/event/up`, JSON.stringify(body), {
      qos: 1,
    });

  it('stores one point per TTN uplink with the mapped fields, and one for an uplink delivered twice', async () => {
    const start = Date.now() - 60_000;
    for (let fCnt = 1; fCnt <= 5; fCnt++)
      await publishTtn('03022', ttnUplink('air', fCnt, start + fCnt * 1000));
    const stored = await waitFor('5 TTN points', async () => {
      const rows = await pointsOf('dlpm-03022', 'pm25');
      return rows.length === 5 ? rows : undefined;
    });
    expect(stored.map((r) => r._value)).toEqual([3.9, 3.9, 3.9, 3.9, 3.9]);
    expect(new Set((await rowsOf('dlpm-03022')).map((r) => r._field))).toEqual(
      new Set(['pm25', 'pm10', 'temperature', 'humidity']),
    );
    expect((await pointsOf('dlpm-03022', 'humidity'))[0]!._value).toBeCloseTo(41.632, 3);
    // The same frame again, through another path a second later: still one point.
    await publishTtn('03022', ttnUplink('air', 3, start + 3000 + 1000));
    await publishTtn('03022', ttnUplink('air', 6, start + 6000));
    await waitFor('the sixth point', async () =>
      (await pointsOf('dlpm-03022', 'pm25')).length >= 6 ? true : undefined,
    );
    expect(await pointsOf('dlpm-03022', 'pm25')).toHaveLength(6);
    expect(await uplinks('ttn-leuven', 'duplicate')).toBe(1);
  });

  it("lists a mapped device under its name and place, and takes the uplink's signal into its health", async () => {
    await publishTtn('eui-1000000000000001', ttnUplink('noise', 1));
    const laeq = await waitFor('the WS302 level', async () => (await pointsOf('ws302-0001', 'laeq'))[0]);
    expect(laeq._value).toBe(47.4);
    // A noise level is over a period: the device's interval from the profile.
    expect((await pointsOf('ws302-0001', 'period_s'))[0]?._value).toBe(300);
    const sensors = (await (await stack.service.fetchAs('officer', '/api/v1/sensors')).json()) as {
      features: Array<{ id: string; geometry: { coordinates: number[] }; properties: { name?: string } }>;
    };
    const listed = sensors.features.find((f) => f.id === 'leuven/noise/ws302-0001');
    expect(listed?.properties.name).toBe('Ladeuzeplein (TTN)');
    expect(listed?.geometry.coordinates).toEqual([4.706, 50.878]);
    const health = await waitFor('the signal in its health', async () => {
      const response = await stack.service.fetchAs(
        'technician',
        '/api/v1/health/sensors/leuven/noise/ws302-0001',
      );
      const body = (await response.json()) as { sensor?: { signalDbm?: number; battery?: number } };
      return body.sensor?.signalDbm === undefined ? undefined : body.sensor;
    });
    expect(health).toMatchObject({ signalDbm: -35, battery: 100 });
  });

  it('stores a ChirpStack event (f64 numbers under `object`) once per deduplicationId', async () => {
    await publishChirpstack('70b3d57ba0003bb8', chirpstackUplink('ede7dfc1-0000-0000-0000-000000000001'));
    await publishChirpstack(
      '70b3d57ba0003bb8',
      chirpstackUplink('ede7dfc1-0000-0000-0000-000000000001', Date.now() + 200),
    );
    await publishChirpstack(
      '70b3d57ba0003bb8',
      chirpstackUplink('ede7dfc1-0000-0000-0000-000000000002', Date.now() + 1000),
    );
    const rows = await waitFor('two ChirpStack points', async () => {
      const found = await pointsOf('dlpm-3bb8', 'pm25');
      return found.length >= 2 ? found : undefined;
    });
    expect(rows).toHaveLength(2);
    expect(await uplinks('chirpstack-leuven', 'duplicate')).toBe(1);
    expect(await uplinks('chirpstack-leuven', 'forwarded')).toBe(2);
  });

  it('refuses a malformed uplink and an unmapped device with a dead letter that names the source, and keeps going', async () => {
    const refusedBefore = await uplinks('ttn-leuven', 'refused');
    await publishTtn('03022', '{"uplink_message": ');
    await publishTtn('eui-ffffffffffffffff', ttnUplink('air', 1));
    const noFormatter = ttnUplink('air', 7);
    delete (noFormatter['uplink_message'] as Json)['decoded_payload'];
    await publishTtn('03022', noFormatter);
    const letters = await waitFor('three dead letters', () =>
      deadLetters.received.length >= 3 ? deadLetters.received : undefined,
    );
    const parsed = letters.map((l) => ({
      on: l.topic,
      ...(JSON.parse(l.payload) as { detail: string; topic: string }),
    }));
    expect(parsed.map((l) => l.on)).toEqual([
      'meetnet/_rejected/malformed_json',
      'meetnet/_rejected/unknown_device',
      'meetnet/_rejected/missing_field',
    ]);
    for (const letter of parsed) expect(letter.detail).toMatch(/^ttn-leuven: /);
    expect(parsed[1]!.detail).toContain('eui-ffffffffffffffff');
    expect(await uplinks('ttn-leuven', 'refused')).toBe(refusedBefore + 3);
    expect(await stack.service.metric('meetnet_ingest_rejected_total{reason="unknown_device"}')).toBe(1);
    // Still taking uplinks.
    await publishTtn('03022', ttnUplink('air', 8));
    await waitFor('the next point', async () =>
      (await pointsOf('dlpm-03022', 'pm25')).length >= 7 ? true : undefined,
    );
    expect((await fetch(`${stack.service.url}/readyz`)).status).toBe(200);
  });

  it('counts every uplink of a network server that floods garbage, keeping a bounded number of dead letters', async () => {
    const refusedBefore = await uplinks('ttn-leuven', 'refused');
    const lettersBefore = deadLetters.received.length;
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) => publishTtn(`eui-flood-${i}`, ttnUplink('air', i))),
    );
    await waitFor('all 1,000 refusals counted', async () =>
      (await uplinks('ttn-leuven', 'refused')) >= refusedBefore + 1000 ? true : undefined,
    );
    const letters = deadLetters.received.length - lettersBefore;
    // Refused unread: a megabyte is no uplink.
    const tooLarge = await stack.service.metric('meetnet_ingest_rejected_total{reason="too_large"}');
    await publishTtn(
      '03022',
      JSON.stringify({ uplink_message: { decoded_payload: { x: 'y'.repeat(1024 * 1024) } } }),
    );
    await waitFor('the oversized uplink refused', async () =>
      (await stack.service.metric('meetnet_ingest_rejected_total{reason="too_large"}')) > tooLarge
        ? true
        : undefined,
    );
    // The letter budget's burst (100) and what it refilled while the flood lasted, not 1,000.
    expect(letters).toBeGreaterThanOrEqual(90);
    expect(letters).toBeLessThan(300);
    await publishTtn('03022', ttnUplink('air', 9));
    const before = (await pointsOf('dlpm-03022', 'pm25')).length;
    await publishTtn('03022', ttnUplink('air', 10));
    await waitFor('a real uplink still stored', async () =>
      (await pointsOf('dlpm-03022', 'pm25')).length > before ? true : undefined,
    );
  });

  it('loses no acknowledged uplink when the service is killed (kill -9) in the middle of a burst', async () => {
    const before = (await pointsOf('dlpm-03022', 'pm25')).length;
    const start = Date.now() - 2 * 3_600_000;
    // Paced over about 3 s, so that the kill lands while the network server still has uplinks to deliver.
    const published = (async () => {
      for (let i = 0; i < 300; i++) {
        await publishTtn('03022', ttnUplink('air', 1000 + i, start + i * 1000));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await waitFor('the first uplinks stored', async () =>
      (await pointsOf('dlpm-03022', 'pm25')).length >= before + 50 ? true : undefined,
    );
    await stack.service.process.stop('SIGKILL');
    await published;
    // The same persistent session at the network server's broker: it delivers what was not acknowledged.
    stack.service = await startService({
      MQTT_URL: stack.broker.url,
      INFLUX_URL: stack.influxUrl,
      INFLUX_BUCKET: stack.bucket,
      ...serviceEnv,
    });
    const stored = await waitFor(
      'all 300 uplinks stored',
      async () => {
        const rows = await pointsOf('dlpm-03022', 'pm25');
        return rows.length >= before + 300 ? rows : undefined;
      },
      60_000,
    );
    expect(stored).toHaveLength(before + 300);
    // The restarted service took the rest from the broker's queue, not only from its own spool.
    expect(await uplinks('ttn-leuven', 'forwarded')).toBeGreaterThan(0);
  }, 90_000);

  it("makes an unreachable network server one problem of its sensors' source, shown in the fleet view's data", async () => {
    const fleet = async () =>
      (await (await stack.service.fetchAs('technician', '/api/v1/health/sensors')).json()) as {
        sensors: Array<{ key: string; source?: string; problems: Array<{ problem: string }> }>;
        sources: Array<{ name: string; reachable: boolean; sensors: number; lastAnswerAt?: number }>;
      };
    const before = await fleet();
    expect(before.sources.find((s) => s.name === 'chirpstack-leuven')).toMatchObject({
      reachable: true,
      sensors: 1,
    });
    expect(before.sensors.find((s) => s.key === 'leuven/noise/ws302-0001')?.source).toBe('ttn-leuven');
    await chirpstack.stop();
    const after = await waitFor('the source to be unreachable', async () => {
      const body = await fleet();
      const sensor = body.sensors.find((s) => s.key === 'leuven/air/dlpm-3bb8');
      return sensor?.problems.some((p) => p.problem === 'source_unreachable') ? body : undefined;
    });
    expect(after.sources.find((s) => s.name === 'chirpstack-leuven')?.reachable).toBe(false);
    const sensor = after.sensors.find((s) => s.key === 'leuven/air/dlpm-3bb8')!;
    expect(sensor.problems.map((p) => p.problem)).not.toContain('offline');
    // The other network server's sensors are not touched.
    expect(
      after.sensors.find((s) => s.key === 'leuven/air/dlpm-03022')?.problems.map((p) => p.problem),
    ).not.toContain('source_unreachable');
  });
});
