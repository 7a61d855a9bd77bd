import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from '../support/paths';
import { type PublicFleetStack, startPublicFleetStack } from '../support/public-fleet';
import type { TestStack } from '../support/test-stack';

const FIXTURES = resolve(REPO_ROOT, 'tests/fixtures/smart-data-models');
const fixture = (name: string) =>
  JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as Record<string, unknown>;

/** The official schemas (tests/fixtures/smart-data-models/SOURCES.md), as their $refs name them. */
function modelValidators() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(fixture('common-schema.json'));
  ajv.addSchema(fixture('weather-schema.json'));
  const environment = fixture('Environment-schema.json');
  ajv.addSchema(environment);
  // AirQualityObserved names the same file at raw.githubusercontent.com.
  ajv.addSchema({
    ...environment,
    $id: 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json',
  });
  const models = ['AirQualityObserved', 'NoiseLevelObserved', 'TrafficFlowObserved', 'WeatherObserved'];
  return Object.fromEntries(models.map((model) => [model, ajv.compile(fixture(`${model}.schema.json`))]));
}

type Entity = Record<string, unknown> & { id: string; type: string };

describe('NGSI-LD with the Smart Data Models (read side)', () => {
  let fleet: PublicFleetStack;
  let stack: TestStack;
  let lastHour: number;
  const get = (path: string, init?: RequestInit) => fetch(`${stack.service.url}/ngsi-ld/v1${path}`, init);
  const entities = async (query: string) => (await (await get(`/entities${query}`)).json()) as Entity[];
  const AIR = 'urn:ngsi-ld:AirQualityObserved:meetnet:leuven:air:pub-1';

  beforeAll(async () => {
    fleet = await startPublicFleetStack({ PUBLIC_DOMAINS: 'air,noise,mobility,weather' });
    ({ stack, lastHour } = fleet);
  });
  afterAll(() => fleet?.stop());

  it("serves every public sensor as its model, each valid against the model's official JSON Schema", async () => {
    const validators = modelValidators();
    const all = await entities('?options=keyValues&limit=1000');
    expect(all.map((e) => e.type).sort()).toEqual([
      'AirQualityObserved',
      'NoiseLevelObserved',
      'TrafficFlowObserved',
      'WeatherObserved',
    ]);
    for (const entity of all) {
      const validate = validators[entity.type]!;
      const valid = validate(entity);
      expect({ id: entity.id, errors: valid ? [] : validate.errors }).toEqual({ id: entity.id, errors: [] });
    }
    // The hidden sensor is not open data either.
    expect(all.map((e) => e.id).join()).not.toContain('hidden-1');
  });

  it('gives back the stored values: a round trip through NGSI-LD, in the models’ units', async () => {
    const byId = new Map((await entities('?options=keyValues&limit=1000')).map((e) => [e.id, e]));
    const air = byId.get(AIR)!;
    // The last complete hour: the same values the public map shows.
    expect(air).toMatchObject({ no2: 25, pm25: 10, dateObserved: new Date(lastHour).toISOString() });
    expect(air['refDevice']).toBe('urn:ngsi-ld:Device:meetnet:leuven:air:pub-1');
    expect(air['location']).toEqual({ type: 'Point', coordinates: [4.700534, 50.876912] });
    const noise = byId.get('urn:ngsi-ld:NoiseLevelObserved:meetnet:leuven:noise:n-1')!;
    expect(noise['LAeq']).toBe(55.5);
    const to = Date.parse(noise['dateObservedTo'] as string);
    expect(to - Date.parse(noise['dateObservedFrom'] as string)).toBe(60_000);
    const traffic = byId.get('urn:ngsi-ld:TrafficFlowObserved:meetnet:leuven:mobility:telraam-9000')!;
    expect(traffic).toMatchObject({
      intensity: 300,
      dateObservedFrom: new Date(lastHour).toISOString(),
      dateObservedTo: new Date(lastHour + 3_600_000).toISOString(),
    });
    // Rounded where the city asked, as on the public map.
    expect(traffic['location']).toEqual({ type: 'Point', coordinates: [4.712, 50.875] });
    const weather = byId.get('urn:ngsi-ld:WeatherObserved:meetnet:leuven:weather:w-1')!;
    expect(weather['temperature']).toBe(11);
  });

  it('writes the normalized form with Properties, unit codes, observedAt and a Relationship to the device', async () => {
    const response = await get(`/entities/${encodeURIComponent(AIR)}`, {
      headers: { Accept: 'application/ld+json' },
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const air = (await response.json()) as Entity;
    expect(air['no2']).toEqual({
      type: 'Property',
      value: 25,
      unitCode: 'GQ',
      observedAt: new Date(lastHour).toISOString(),
    });
    expect(air['dateObserved']).toEqual({
      type: 'Property',
      value: { '@type': 'DateTime', '@value': new Date(lastHour).toISOString() },
    });
    expect(air['refDevice']).toEqual({
      type: 'Relationship',
      object: 'urn:ngsi-ld:Device:meetnet:leuven:air:pub-1',
    });
    expect(air['location']).toEqual({
      type: 'GeoProperty',
      value: { type: 'Point', coordinates: [4.700534, 50.876912] },
    });
    expect(air['@context']).toEqual([
      'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld',
    ]);
  });

  it('puts the context in a Link header for plain JSON, and states the licence', async () => {
    const response = await get('/entities?type=NoiseLevelObserved', {
      headers: { Accept: 'application/json' },
    });
    const body = (await response.json()) as Entity[];
    expect(body).toHaveLength(1);
    expect(body[0]!['@context']).toBeUndefined();
    const links = response.headers.get('link')!;
    expect(links).toContain(
      '<https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"',
    );
    expect(links).toContain('<https://creativecommons.org/licenses/by/4.0/>; rel="license"');
    expect(response.headers.get('ngsild-results-count')).toBe('1');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it("serves a sensor's history in the temporal representation, hourly for an hourly layer", async () => {
    const from = new Date(lastHour - 3_600_000).toISOString();
    const to = new Date(lastHour + 2 * 3_600_000).toISOString();
    const query = `timerel=between&timeAt=${from}&endTimeAt=${to}`;
    const history = (await (
      await get(`/temporal/entities/${encodeURIComponent(AIR)}?${query}`)
    ).json()) as Entity;
    // The hour still running (its reading of 200) is not open data yet.
    expect(history['no2']).toEqual([
      { type: 'Property', value: 25, unitCode: 'GQ', observedAt: new Date(lastHour).toISOString() },
    ]);
    const simplified = (await (
      await get(`/temporal/entities/${encodeURIComponent(AIR)}?${query}&options=temporalValues`)
    ).json()) as Entity;
    expect((simplified['pm25'] as { values: unknown[] }).values[0]).toEqual([
      10,
      new Date(lastHour).toISOString(),
    ]);
  });

  it('answers a bad request with an NGSI-LD problem naming what is wrong', async () => {
    for (const [path, status, detail] of [
      ['/entities?type=Car', 400, /^type: Car is not one of/],
      ['/entities?limit=5000', 400, /^limit: /],
      ['/entities?options=everything', 400, /^options: /],
      [
        `/entities/${encodeURIComponent('urn:ngsi-ld:AirQualityObserved:meetnet:leuven:air:hidden-1')}`,
        404,
        /^no public entity/,
      ],
      [
        `/temporal/entities/${encodeURIComponent(AIR)}?timerel=between&timeAt=2026-01-01T00:00:00Z&endTimeAt=2026-03-01T00:00:00Z`,
        400,
        /at most 7 days/,
      ],
      [
        `/temporal/entities/${encodeURIComponent(AIR)}?timerel=soon&timeAt=2026-01-01T00:00:00Z`,
        400,
        /^timerel: /,
      ],
    ] as const) {
      const response = await get(path);
      const body = (await response.json()) as { type: string; detail: string };
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(body.type).toMatch(/^https:\/\/uri\.etsi\.org\/ngsi-ld\/errors\//);
      expect(body.detail).toMatch(detail);
    }
  });
});
