import { buildTopic } from '@meetnet/contracts';
import type { MqttClient } from 'mqtt';
import { type PublicFleetStack, startPublicFleetStack } from '../support/public-fleet';
import type { TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

type Entity = Record<string, unknown> & { '@iot.id': number | string; '@iot.selfLink': string };
interface Collection {
  value: Entity[];
  '@iot.nextLink'?: string;
  '@iot.count'?: number;
}

/**
 * The conformance classes of OGC SensorThings 1.1 that a read-only server can meet, as our own
 * tests: Sensing Core (service root, sets, entities, properties, navigation, $ref, 404s) and
 * the query options of the Filtering Extension over time series ($filter on time, $top,
 * $skip, $orderby, $count, $expand, @iot.nextLink).
 */
describe('OGC SensorThings API 1.1, read-only', () => {
  let fleet: PublicFleetStack;
  let stack: TestStack;
  let lastHour: number;
  /** The noise meter's readings, oldest first (epoch ms). */
  const noiseTimes: number[] = [];
  let root: string;
  const get = async <T>(path: string) => {
    const response = await fetch(path.startsWith('http') ? path : `${root}${path}`);
    return { status: response.status, body: (await response.json()) as T, response };
  };
  const thingOf = async (name: string) =>
    (await get<Collection>('/Things')).body.value.find((thing) => thing['name'] === name)!;
  const datastreamOf = async (thing: Entity, field: string) =>
    (await get<Collection>(`/Things(${thing['@iot.id']})/Datastreams`)).body.value.find((d) =>
      (d['name'] as string).endsWith(` ${field}`),
    )!;

  beforeAll(async () => {
    const now = Date.now();
    // Five earlier readings of the noise meter, a minute apart; the fleet's 55.5 comes after
    // them, so it is the meter's newest.
    const earlierNoise = async (device: MqttClient) => {
      const noise = { city: 'leuven', domain: 'noise', sensorId: 'n-1' } as const;
      for (let k = 5; k >= 1; k--) {
        const reading = { ts: now - k * 60_000, periodS: 60, laeq: 50 + k };
        await device.publishAsync(buildTopic(noise, 'obs'), JSON.stringify(reading), { qos: 1 });
      }
    };
    fleet = await startPublicFleetStack(
      { PUBLIC_DOMAINS: 'air,noise,mobility,weather' },
      { before: earlierNoise },
    );
    ({ stack, lastHour } = fleet);
    root = `${stack.service.url}/sta/v1.1`;
    await waitFor(
      'the noise readings stored',
      async () => {
        const from = new Date(now - 10 * 60_000).toISOString();
        const response = await stack.service.fetchAs(
          'analyst',
          `/api/v1/series?sensor=leuven/noise/n-1&field=laeq&window=raw&from=${from}`,
        );
        const text = await response.text();
        return (text.match(/"t":/g)?.length ?? 0) >= 6 ? true : undefined;
      },
      20_000,
    );
    const series = await stack.service.fetchAs(
      'analyst',
      `/api/v1/series?sensor=leuven/noise/n-1&field=laeq&window=raw&from=${new Date(now - 10 * 60_000).toISOString()}`,
    );
    const body = (await series.json()) as { series: Array<{ points: Array<{ t: string }> }> };
    noiseTimes.push(...body.series[0]!.points.map((p) => Date.parse(p.t)));
  });
  afterAll(() => fleet?.stop());

  it('lists the eight entity sets at the service root, each at <root>/<set>, with the licence', async () => {
    const { body, response } = await get<{
      value: Array<{ name: string; url: string }>;
      serverSettings: { license: string };
    }>('');
    expect(body.value.map((s) => s.name)).toEqual([
      'Things',
      'Locations',
      'HistoricalLocations',
      'Datastreams',
      'Sensors',
      'ObservedProperties',
      'Observations',
      'FeaturesOfInterest',
    ]);
    for (const set of body.value) expect(set.url).toBe(`${root}/${set.name}`);
    expect(body.serverSettings.license).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(response.headers.get('link')).toContain('rel="license"');
  });

  it('serves the public sensors as Things with numeric ids, self links and navigation links, and no hidden one', async () => {
    const { body } = await get<Collection>('/Things');
    expect(body.value.map((t) => t['name']).sort()).toEqual([
      'Dak',
      'Ladeuzeplein',
      'Naamsestraat',
      'Tiensestraat',
    ]);
    for (const thing of body.value) {
      expect(Number.isSafeInteger(thing['@iot.id'])).toBe(true);
      expect(thing['@iot.selfLink']).toBe(`${root}/Things(${thing['@iot.id']})`);
      expect(thing['Datastreams@iot.navigationLink']).toBe(`${thing['@iot.selfLink']}/Datastreams`);
      expect(thing['description']).toEqual(expect.any(String));
    }
    // Stable: the same sensor has the same id in every answer.
    expect((await thingOf('Naamsestraat'))['@iot.id']).toBe(
      body.value.find((t) => t['name'] === 'Naamsestraat')!['@iot.id'],
    );
  });

  it('gives each field a Datastream with its unit of measurement, and its Location, Sensor and ObservedProperty', async () => {
    const air = await thingOf('Naamsestraat');
    const no2 = await datastreamOf(air, 'no2');
    expect(no2).toMatchObject({
      observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
      unitOfMeasurement: { name: 'µg/m³', symbol: 'µg/m³', definition: 'ucum:ug/m3' },
    });
    const location = (await get<Collection>(`/Things(${air['@iot.id']})/Locations`)).body.value[0]!;
    expect(location).toMatchObject({
      encodingType: 'application/geo+json',
      location: { type: 'Point', coordinates: [4.700534, 50.876912] },
    });
    const observed = (await get<Entity>(`/Datastreams(${no2['@iot.id']})/ObservedProperty`)).body;
    expect(observed).toMatchObject({ name: 'air/no2', definition: 'urn:meetnet:property:air:no2' });
    // Navigation four deep, back to the Datastream.
    const back = await get<Collection>(
      `/Things(${air['@iot.id']})/Datastreams(${no2['@iot.id']})/Sensor/Datastreams`,
    );
    expect(back.status).toBe(200);
    expect(back.body.value.map((d) => d['@iot.id'])).toContain(no2['@iot.id']);
  });

  it("reads a Datastream's Observations from InfluxDB: the hour for an hourly layer, the readings otherwise", async () => {
    const no2 = await datastreamOf(await thingOf('Naamsestraat'), 'no2');
    const hourly = (await get<Collection>(`/Datastreams(${no2['@iot.id']})/Observations`)).body.value;
    expect(hourly).toHaveLength(1);
    expect(hourly[0]).toMatchObject({
      result: 25,
      phenomenonTime: `${new Date(lastHour).toISOString()}/${new Date(lastHour + 3_600_000).toISOString()}`,
    });
    const laeq = await datastreamOf(await thingOf('Ladeuzeplein'), 'laeq');
    const readings = (await get<Collection>(`/Datastreams(${laeq['@iot.id']})/Observations`)).body.value;
    expect(readings.map((o) => Date.parse(o['resultTime'] as string))).toEqual(noiseTimes);
    // A reading covers the minute that ends at its time.
    const first = readings[0]!;
    expect(first['phenomenonTime']).toBe(
      `${new Date(noiseTimes[0]! - 60_000).toISOString()}/${new Date(noiseTimes[0]!).toISOString()}`,
    );
    // Each Observation is an entity of its own.
    const one = await get<Entity>(`/Observations('${first['@iot.id']}')`);
    expect(one.body['result']).toBe(first['result']);
  });

  it('pages with $top and @iot.nextLink, never repeating or skipping a reading', async () => {
    const laeq = await datastreamOf(await thingOf('Ladeuzeplein'), 'laeq');
    const seen: number[] = [];
    let next: string | undefined = `${root}/Datastreams(${laeq['@iot.id']})/Observations?$top=2&$count=true`;
    let pages = 0;
    while (next) {
      const page: Collection = (await get<Collection>(next)).body;
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((o) => Date.parse(o['resultTime'] as string)));
      next = page['@iot.nextLink'];
      pages++;
    }
    expect(seen).toEqual(noiseTimes);
    expect(pages).toBe(3);
  });

  it('filters on phenomenonTime and orders newest first', async () => {
    const laeq = await datastreamOf(await thingOf('Ladeuzeplein'), 'laeq');
    const base = `/Datastreams(${laeq['@iot.id']})/Observations`;
    const from = new Date(noiseTimes[1]!).toISOString();
    const to = new Date(noiseTimes[3]!).toISOString();
    const window = (
      await get<Collection>(
        `${base}?$filter=${encodeURIComponent(`phenomenonTime ge ${from} and phenomenonTime lt ${to}`)}`,
      )
    ).body;
    expect(window.value.map((o) => Date.parse(o['resultTime'] as string))).toEqual(noiseTimes.slice(1, 3));
    const newest = (
      await get<Collection>(`${base}?$orderby=${encodeURIComponent('phenomenonTime desc')}&$top=1`)
    ).body;
    expect(Date.parse(newest.value[0]!['resultTime'] as string)).toBe(noiseTimes.at(-1));
  });

  it('expands navigations inline, with options for Observations', async () => {
    const noise = await thingOf('Ladeuzeplein');
    const expand = encodeURIComponent('Locations,Datastreams');
    const thing = (await get<Entity>(`/Things(${noise['@iot.id']})?$expand=${expand}`)).body;
    expect((thing['Locations'] as Entity[])[0]!['location']).toEqual({
      type: 'Point',
      coordinates: [4.706, 50.878],
    });
    expect((thing['Datastreams'] as Entity[]).map((d) => d['name'])).toEqual([
      'Ladeuzeplein laeq',
      'Ladeuzeplein lamax',
      'Ladeuzeplein la90',
    ]);
    const laeq = await datastreamOf(noise, 'laeq');
    const latest = encodeURIComponent('Observations($top=1;$orderby=phenomenonTime desc)');
    const withLatest = (await get<Entity>(`/Datastreams(${laeq['@iot.id']})?$expand=${latest}`)).body;
    expect((withLatest['Observations'] as Entity[]).map((o) => o['result'])).toEqual([55.5]);
  });

  it('answers a property, its $value and $ref as the standard asks', async () => {
    const air = await thingOf('Naamsestraat');
    expect((await get<Record<string, unknown>>(`/Things(${air['@iot.id']})/name`)).body).toEqual({
      name: 'Naamsestraat',
    });
    const raw = await fetch(`${root}/Things(${air['@iot.id']})/name/$value`);
    expect(await raw.text()).toBe('Naamsestraat');
    const location = await get<unknown>(`/Locations(${air['@iot.id']})/location/$value`);
    expect(location.body).toEqual({ type: 'Point', coordinates: [4.700534, 50.876912] });
    const refs = (await get<Collection>('/Things/$ref')).body.value;
    expect(refs.length).toBe(4);
    for (const ref of refs) expect(Object.keys(ref)).toEqual(['@iot.selfLink']);
  });

  it('answers 404 for what does not exist and 400 with the reason for what it cannot do', async () => {
    for (const [path, status, message] of [
      ['/Things(9223372036854775807)', 404, /^no Things/],
      ['/Cars', 404, /^no entity set Cars/],
      ['/Things?$select=name', 400, /\$select/],
      ['/Things?$filter=name eq %27x%27', 400, /^\$filter: only phenomenonTime/],
      ['/Things?$top=100000', 400, /^\$top: /],
      ['/Things?$orderby=name', 400, /^\$orderby: /],
      // A query per entity: expanding Observations of a long list is refused, not run.
      ['/Datastreams?$top=1000&$expand=Observations', 400, /^\$expand: Observations of at most 100 entities/],
    ] as const) {
      const { status: got, body } = await get<{ message: string }>(path);
      expect({ path, status: got }).toEqual({ path, status });
      expect(body.message).toMatch(message);
    }
  });
});
