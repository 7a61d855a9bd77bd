import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { type PointRow, storedRows } from '../support/influx-query';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

interface Push {
  request: { headers: Record<string, string> };
  payload: { sensordatavalues: Array<{ value_type: string; value: string }> };
}
const PUSHES = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'tests/fixtures/sensor-community/pushes.json'), 'utf8'),
) as Record<'sds011Bme280' | 'dnms', Push>;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Two stations in a sources file, each with its password in a file beside it. */
function writeStations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-sc-'));
  writeFileSync(join(dir, 'station-1'), 'luchtpakket-1\n');
  writeFileSync(join(dir, 'station-2'), 'geluid-2');
  const station = { city: 'leuven', lat: 50.88, lon: 4.7, intervalS: 145 };
  const sources = {
    sources: [
      {
        name: 'sensor-community-leuven',
        kind: 'sensor-community',
        stations: [
          {
            ...station,
            station: 'esp8266-12331981',
            passwordFile: 'station-1',
            name: 'Bondgenotenlaan',
            sensors: { air: 'sc-12331981', weather: 'sc-12331981-wx' },
          },
          {
            ...station,
            station: 'esp8266-1234567',
            passwordFile: 'station-2',
            name: 'Vaartkom',
            sensors: { noise: 'sc-1234567-dnms' },
          },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources));
  return join(dir, 'sources.json');
}

/** Exactly what the firmware sends: its headers, its body, with the station's credentials. */
function push(
  url: string,
  which: 'sds011Bme280' | 'dnms',
  authorization: string,
  change: Partial<Push['payload']> = {},
): Promise<Response> {
  const { request, payload } = PUSHES[which];
  const headers: Record<string, string> = { ...request.headers, Authorization: authorization };
  for (const hop of ['Host', 'Content-Length', 'Connection']) delete headers[hop];
  return fetch(`${url}/api/v1/sources/sensor-community`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...payload, ...change }),
  });
}

describe('Sensor.Community stations pushing to their "own API"', () => {
  let stack: TestStack;
  const rowsOf = async (sensorId: string): Promise<PointRow[]> =>
    (await storedRows(stack.influxUrl, stack.bucket)).filter((r) => r.sensor_id === sensorId);

  beforeAll(async () => {
    stack = await startTestStack({ SOURCES_FILE: writeStations() });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const station = (
    which: 'sds011Bme280' | 'dnms',
    authorization: string,
    change: Partial<Push['payload']> = {},
  ) => push(stack.service.url, which, authorization, change);

  it('stores an SDS011 + BME280 push as the station sends it: P1 → pm10, P2 → pm25, the BME280 as weather', async () => {
    const response = await station('sds011Bme280', basic('esp8266-12331981', 'luchtpakket-1'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      stored: ['leuven/air/sc-12331981', 'leuven/weather/sc-12331981-wx'],
      refused: [],
    });
    // The answer came after the spool: the points reach InfluxDB without another word from the station.
    const air = await waitFor('the PM values', async () => {
      const rows = await rowsOf('sc-12331981');
      return rows.length >= 2 ? rows : undefined;
    });
    expect(Object.fromEntries(air.map((r) => [r._field, r._value]))).toEqual({ pm10: 0.4, pm25: 0.2 });
    const weather = await waitFor('the BME280 values', async () => {
      const rows = await rowsOf('sc-12331981-wx');
      return rows.length >= 4 ? rows : undefined;
    });
    // Weather has a period (rain over it): the station's interval, as its sources entry says.
    expect(Object.fromEntries(weather.map((r) => [r._field, r._value]))).toEqual({
      temperature: 20.47,
      humidity: 69.02,
      pressure: 1006.1325,
      period_s: 145,
    });
    const sensors = (await (await stack.service.fetchAs('officer', '/api/v1/sensors')).json()) as {
      features: Array<{ id: string; properties: { name?: string } }>;
    };
    expect(sensors.features.find((f) => f.id === 'leuven/air/sc-12331981')?.properties.name).toBe(
      'Bondgenotenlaan',
    );
  });

  it("stores a DNMS's levels over the interval the station reports", async () => {
    expect((await station('dnms', basic('esp8266-1234567', 'geluid-2'))).status).toBe(200);
    const rows = await waitFor('the noise levels', async () => {
      const found = await rowsOf('sc-1234567-dnms');
      return found.length >= 3 ? found : undefined;
    });
    expect(Object.fromEntries(rows.map((r) => [r._field, r._value]))).toEqual({
      laeq: 50.95,
      lamax: 56.95,
      period_s: 145,
    });
  });

  it("answers 401 to a wrong password or an unknown station, 403 to another station's X-Sensor, and stores nothing", async () => {
    const before = (await rowsOf('sc-12331981')).length;
    expect((await station('sds011Bme280', basic('esp8266-12331981', 'wrong'))).status).toBe(401);
    expect((await station('sds011Bme280', basic('esp8266-99999999', 'luchtpakket-1'))).status).toBe(401);
    expect((await station('sds011Bme280', 'Bearer x')).status).toBe(401);
    // Station 2's password, station 1's header.
    expect((await station('sds011Bme280', basic('esp8266-1234567', 'geluid-2'))).status).toBe(403);
    expect((await rowsOf('sc-12331981')).length).toBe(before);
  });

  it('answers 400 with the reason to a value that is not a number, stores nothing and keeps a dead letter', async () => {
    const before = (await rowsOf('sc-12331981')).length;
    const response = await station('sds011Bme280', basic('esp8266-12331981', 'luchtpakket-1'), {
      sensordatavalues: [
        { value_type: 'SDS_P1', value: 'nan' },
        { value_type: 'SDS_P2', value: '0.20' },
      ],
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      'wrong_type: SDS_P1: "nan" is not a number',
    );
    const impossible = await station('sds011Bme280', basic('esp8266-12331981', 'luchtpakket-1'), {
      sensordatavalues: [{ value_type: 'SDS_P2', value: '-5' }],
    });
    expect(impossible.status).toBe(400);
    expect(((await impossible.json()) as { message: string }).message).toMatch(
      /^leuven\/air\/sc-12331981: out_of_range: /,
    );
    const malformed = await station('sds011Bme280', basic('esp8266-12331981', 'luchtpakket-1'), {
      sensordatavalues: 'none' as never,
    });
    expect(malformed.status).toBe(400);
    expect(await stack.service.metric('meetnet_ingest_rejected_total{reason="wrong_type"}')).toBe(1);
    expect(await stack.service.metric('meetnet_ingest_rejected_total{reason="out_of_range"}')).toBe(1);
    expect((await rowsOf('sc-12331981')).length).toBe(before);
  });
});

describe('a station that pushes far faster than a station should', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      SOURCES_FILE: writeStations(),
      INGEST_DEVICE_RATE_PER_S: '1',
      INGEST_DEVICE_BURST: '5',
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('gets its excess refused as rate_limited, and slows no other station', async () => {
    const flood = await Promise.all(
      Array.from({ length: 50 }, () =>
        push(stack.service.url, 'sds011Bme280', basic('esp8266-12331981', 'luchtpakket-1')),
      ),
    );
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThanOrEqual(40);
    const refused = (await flood.find((r) => r.status === 400)!.json()) as { message: string };
    expect(refused.message).toMatch(/rate_limited/);
    expect((await push(stack.service.url, 'dnms', basic('esp8266-1234567', 'geluid-2'))).status).toBe(200);
  });
});
