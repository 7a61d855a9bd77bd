import { buildTopic } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { type InfluxdInstance, startInfluxd } from '../support/influxd';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import { type ServiceInstance, startService } from '../support/service';
import { waitFor } from '../support/wait-for';

const ADMIN = { user: 'admin', password: 'admin-test-password' };
const WRITER = 'ingest-writer:writer-test-password';
const READER = 'api-reader:reader-test-password';
const DATABASE = 'meetnet_least_privilege';

/** An InfluxQL statement as the admin, on the influxd with authentication on. */
async function asAdmin(influx: InfluxdInstance, statement: string): Promise<void> {
  const response = await fetch(`${influx.url}/query`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}` },
    body: new URLSearchParams({ q: statement }),
  });
  const body = await response.text();
  if (!response.ok || body.includes('"error"')) throw new Error(`${statement}: ${response.status} ${body}`);
}

describe('the service on least-privilege InfluxDB tokens', () => {
  let influx: InfluxdInstance;
  let broker: MosquittoInstance;
  let service: ServiceInstance;

  beforeAll(async () => {
    influx = await startInfluxd(ADMIN);
    await asAdmin(influx, `CREATE DATABASE "${DATABASE}"`);
    for (const [token, privilege] of [
      [WRITER, 'WRITE'],
      [READER, 'READ'],
    ] as const) {
      const [user, password] = token.split(':') as [string, string];
      await asAdmin(influx, `CREATE USER "${user}" WITH PASSWORD '${password}'`);
      await asAdmin(influx, `GRANT ${privilege} ON "${DATABASE}" TO "${user}"`);
    }
    broker = await startMosquitto();
    service = await startService({
      MQTT_URL: broker.url,
      INFLUX_URL: influx.url,
      INFLUX_BUCKET: `${DATABASE}/autogen`,
      INFLUX_WRITE_TOKEN: WRITER,
      INFLUX_READ_TOKEN: READER,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await broker?.stop();
    await influx?.stop();
  });

  it('stores with the write-only token and answers series with the read-only one', async () => {
    const device = await connectAsync(broker.url, { protocolVersion: 5 });
    const address = { city: 'leuven', domain: 'air', sensorId: 'least-1' } as const;
    await device.publishAsync(buildTopic(address, 'obs'), JSON.stringify({ ts: Date.now(), no2: 42 }), {
      qos: 1,
    });
    await device.endAsync();
    const series = await waitFor('the point through the API', async () => {
      const response = await service.fetchAs(
        'analyst',
        '/api/v1/sensors/leuven/air/least-1/series?field=no2',
      );
      const body = (await response.json()) as { points?: Array<{ v: number }> };
      return body.points?.length ? body.points : undefined;
    });
    expect(series.map((p) => p.v)).toEqual([42]);
    expect(await service.metric('meetnet_storage_write_failures_total')).toBe(0);
  });

  it('holds tokens that cannot do each other’s job', async () => {
    const write = (token: string) =>
      fetch(`${influx.url}/api/v2/write?bucket=${DATABASE}/autogen&precision=ms`, {
        method: 'POST',
        headers: { Authorization: `Token ${token}` },
        body: `air,sensor_id=forged,city=leuven no2=1 ${Date.now()}`,
      });
    const query = (token: string) =>
      fetch(`${influx.url}/api/v2/query`, {
        method: 'POST',
        headers: {
          Authorization: `Token ${token}`,
          'Content-Type': 'application/vnd.flux',
          Accept: 'application/csv',
        },
        body: `from(bucket: "${DATABASE}/autogen") |> range(start: -1h) |> count()`,
      });
    expect((await write(READER)).status).toBe(403);
    expect((await query(WRITER)).ok).toBe(false);
    expect((await query(READER)).ok).toBe(true);
  });
});
