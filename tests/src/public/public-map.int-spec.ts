import { type PublicFleetStack, startPublicFleetStack } from '../support/public-fleet';
import { startService } from '../support/service';
import type { TestStack } from '../support/test-stack';

const HOUR = 3_600_000;

/**
 * Every key a public answer may hold, as a path (`[]` for array items). A field that is not
 * here fails the walk below: nothing reaches the public by being added elsewhere.
 */
const PUBLIC_FIELDS = new Set([
  'type',
  'generatedAt',
  'layers',
  'layers[]',
  'features',
  'features[]',
  'features[].type',
  'features[].id',
  'features[].geometry',
  'features[].geometry.type',
  'features[].geometry.coordinates',
  'features[].geometry.coordinates[]',
  'features[].properties',
  'features[].properties.key',
  'features[].properties.city',
  'features[].properties.domain',
  'features[].properties.sensorId',
  'features[].properties.name',
  'features[].properties.basis',
  'features[].properties.ts',
  'features[].properties.periodS',
  'features[].properties.positionRounded',
  'features[].properties.values',
  'features[].properties.belaqi',
  'features[].properties.belaqi.index',
  'features[].properties.belaqi.pollutant',
  'features[].properties.belaqi.missing',
  'features[].properties.belaqi.missing[]',
  // The week chart.
  'field',
  'unit',
  'points',
  'points[]',
  'points[].t',
  'points[].v',
  // An outline (GeoJSON of the municipality).
  'properties',
  'properties.nis',
  'properties.name',
  'properties.population',
  'geometry',
  'geometry.type',
  'geometry.coordinates',
  'geometry.coordinates[]',
]);
/** Measurement names under `values`: the domains' fields, checked apart from the structure. */
const MEASUREMENTS = new Set(['no2', 'pm25', 'pm10', 'o3', 'laeq', 'lamax', 'car', 'heavy', 'v85', 'bike']);

function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    // Coordinates nest arrays of numbers: one level names them all.
    return [
      `${prefix}[]`,
      ...value.flatMap((item) => (Array.isArray(item) ? [] : keyPaths(item, `${prefix}[]`))),
    ];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (path.endsWith('properties.values')) {
      return [path, ...Object.keys(inner as object).map((field) => `values:${field}`)];
    }
    return [path, ...keyPaths(inner, path)];
  });
}

describe('the public map API (no sign-in)', () => {
  let fleet: PublicFleetStack;
  let stack: TestStack;
  let lastHour: number;
  const get = (path: string, init?: RequestInit) => fetch(`${stack.service.url}/api/v1/public${path}`, init);

  beforeAll(async () => {
    fleet = await startPublicFleetStack({ PUBLIC_CACHE_S: '5', RATE_LIMIT_PUBLIC_PER_MIN: '60' });
    ({ stack, lastHour } = fleet);
  });
  afterAll(() => fleet?.stop());

  const collection = async () =>
    (await (await get('/sensors')).json()) as {
      layers: string[];
      features: Array<{
        id: string;
        geometry: { coordinates: number[] };
        properties: Record<string, unknown>;
      }>;
    };

  it('shows the air station as its last complete hour, with BelAQI from the hourly means', async () => {
    const body = await collection();
    expect(body.layers).toEqual(['air', 'noise', 'mobility']);
    const air = body.features.find((f) => f.id === 'leuven/air/pub-1')!;
    expect(air.properties).toMatchObject({ basis: 'hour', ts: lastHour, values: { no2: 25, pm25: 10 } });
    // NO2 25 → 4, PM2.5 10 → 3 (Table 2): this hour's 200 is not in it.
    expect(air.properties['belaqi']).toEqual({ index: 4, pollutant: 'no2', missing: ['pm10', 'o3'] });
    expect(air.geometry.coordinates).toEqual([4.700534, 50.876912]);
  });

  it("totals the traffic counter's hour and rounds its position, as the city set", async () => {
    const body = await collection();
    const traffic = body.features.find((f) => f.id === 'leuven/mobility/telraam-9000')!;
    expect(traffic.properties).toMatchObject({
      basis: 'hour',
      periodS: 3600,
      values: { car: 300, v85: 45 },
      positionRounded: true,
    });
    expect(traffic.geometry.coordinates).toEqual([4.712, 50.875]);
  });

  it('shows a noise meter by its latest reading, and leaves out hidden sensors and unpublished layers', async () => {
    const body = await collection();
    const noise = body.features.find((f) => f.id === 'leuven/noise/n-1')!;
    expect(noise.properties).toMatchObject({ basis: 'latest', values: { laeq: 55.5 }, periodS: 60 });
    const ids = body.features.map((f) => f.id);
    expect(ids).not.toContain('leuven/air/hidden-1');
    expect(ids.some((id) => id.includes('/weather/'))).toBe(false);
  });

  it('holds nothing but allow-listed fields on any public route, where signed-in routes tell more', async () => {
    const document = (await (await fetch(`${stack.service.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, { 'x-meetnet-public'?: boolean }>>;
    };
    const routes = Object.entries(document.paths)
      .filter(([path, methods]) => path.startsWith('/api/v1/public/') && methods['get']?.['x-meetnet-public'])
      .map(([path]) => path);
    expect(routes.sort()).toEqual([
      '/api/v1/public/outlines/{city}',
      '/api/v1/public/sensors',
      '/api/v1/public/sensors/{city}/{domain}/{sensorId}/week',
    ]);
    const walked: string[] = [];
    for (const route of routes) {
      const path = route
        .replace('/api/v1/public', '')
        .replace('{city}', 'leuven')
        .replace('{domain}', 'air')
        .replace('{sensorId}', 'pub-1');
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      walked.push(...keyPaths(await response.json()));
    }
    const unexpected = [...new Set(walked)].filter((path) =>
      path.startsWith('values:') ? !MEASUREMENTS.has(path.slice(7)) : !PUBLIC_FIELDS.has(path),
    );
    expect(unexpected).toEqual([]);
    // The same sensor signed in carries what the public never sees.
    const staff = (await (await stack.service.fetchAs('officer', '/api/v1/sensors')).json()) as {
      features: Array<{ id: string; properties: Record<string, unknown> }>;
    };
    const signedIn = staff.features.find((f) => f.id === 'leuven/air/pub-1')!.properties;
    expect(signedIn['lastSeen']).toEqual(expect.any(Number));
    expect(walked).not.toContain('features[].properties.lastSeen');
  });

  it("charts a public sensor's week hourly (counts as totals), and knows no hidden or unknown sensor", async () => {
    const week = (await (await get('/sensors/leuven/air/pub-1/week?field=no2')).json()) as {
      unit: string;
      points: Array<{ t: number; v: number }>;
    };
    expect(week.unit).toBe('µg/m³');
    expect(week.points.find((p) => p.t === lastHour)?.v).toBe(25);
    // The hour still running is not charted for an hourly layer.
    expect(week.points.some((p) => p.t >= lastHour + HOUR)).toBe(false);
    const cars = (await (await get('/sensors/leuven/mobility/telraam-9000/week?field=car')).json()) as {
      points: Array<{ t: number; v: number }>;
    };
    expect(cars.points).toEqual([{ t: lastHour, v: 300 }]);
    for (const [path, status] of [
      ['/sensors/leuven/air/hidden-1/week', 404],
      ['/sensors/leuven/air/nobody/week', 404],
      ['/sensors/leuven/weather/w-1/week', 404],
      ['/sensors/leuven/air/pub-1/week?field=battery', 404],
      ['/sensors/leuven/air/pub-1/week?field=a%20b', 404],
    ] as const) {
      const response = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(((await response.json()) as { message: string }).message).toMatch(/^no /);
    }
  });

  it("serves one municipality's outline, not all of Flanders, cached for a day", async () => {
    const response = await get('/outlines/leuven');
    const text = await response.text();
    const outline = JSON.parse(text) as { properties: { name: string; nis: string } };
    expect(outline.properties).toMatchObject({ name: 'Leuven', nis: '24062' });
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(Buffer.byteLength(text)).toBeLessThan(100_000);
    expect((await get('/outlines/atlantis')).status).toBe(404);
  });

  it('compresses what a phone loads, and leaves staff answers as they are', async () => {
    const outline = await get('/outlines/leuven', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(outline.headers.get('content-encoding')).toBe('gzip');
    const page = await (await fetch(`${stack.service.url}/`)).text();
    const script = page.match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    const asset = await fetch(`${stack.service.url}${script}`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const staff = await fetch(`${stack.service.url}/api/docs-json`, {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(staff.headers.get('content-encoding')).toBeNull();
  });

  it('lets browsers and proxies cache answers, and revalidate them by ETag', async () => {
    const first = await get('/sensors');
    expect(first.headers.get('cache-control')).toBe('public, max-age=5');
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    // As a browser revalidates (fetch would add `no-cache` to a request with If-None-Match).
    const again = await get('/sensors', { headers: { 'If-None-Match': etag, 'Cache-Control': 'max-age=0' } });
    expect(again.status).toBe(304);
  });

  it('counts the public against its own budget: a crowd gets 429, staff reads go on', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await get('/sensors')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    const refused = await get('/sensors');
    expect(((await refused.json()) as { message: string }).message).toMatch(/Too many requests/);
    expect((await stack.service.fetchAs('officer', '/api/v1/sensors')).status).toBe(200);
  });

  it('answers 404 with the reason when the city publishes no public map', async () => {
    const closed = await startService({
      MQTT_URL: stack.broker.url,
      INFLUX_URL: stack.influxUrl,
      INFLUX_BUCKET: stack.bucket,
      PUBLIC_DOMAINS: 'none',
    });
    try {
      const response = await fetch(`${closed.url}/api/v1/public/sensors`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { message: string }).message).toMatch(/PUBLIC_DOMAINS=none/);
    } finally {
      await closed.stop();
    }
  });
});
