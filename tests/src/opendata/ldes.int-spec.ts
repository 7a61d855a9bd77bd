import jsonld from 'jsonld';
import { type PublicFleetStack, startPublicFleetStack } from '../support/public-fleet';
import type { TestStack } from '../support/test-stack';

const HOUR = 3_600_000;
const VKM = 'https://data.vlaanderen.be/ns/verkeersmetingen#';
const CONCEPT = 'https://data.vlaanderen.be/id/concept/';

interface Page {
  '@id': string;
  'tree:view': {
    '@id': string;
    'ldes:immutable'?: boolean;
    'tree:relation': Array<{ '@type': string; 'tree:node': { '@id': string } }>;
  };
  'tree:member': Array<Record<string, unknown> & { '@id': string }>;
}

describe('LDES streams and OSLO Verkeersmetingen', () => {
  let fleet: PublicFleetStack;
  let stack: TestStack;
  let lastHour: number;
  const get = async (url: string) => {
    const response = await fetch(url.startsWith('http') ? url : `${stack.service.url}${url}`);
    return { response, body: (await response.json()) as Page };
  };

  /** Every page from the root, following `tree:relation` forward, as a replicating client does. */
  async function replicate(stream: string): Promise<Array<{ page: Page; cacheControl: string | null }>> {
    const pages: Array<{ page: Page; cacheControl: string | null }> = [];
    let next: string | undefined = `/ldes/v1/${stream}`;
    while (next) {
      const { response, body } = await get(next);
      expect(response.status).toBe(200);
      pages.push({ page: body, cacheControl: response.headers.get('cache-control') });
      next = body['tree:view']['tree:relation'][0]?.['tree:node']['@id'];
    }
    return pages;
  }

  beforeAll(async () => {
    fleet = await startPublicFleetStack({ OPEN_DATA_LDES_DAYS: '1' });
    ({ stack, lastHour } = fleet);
  });
  afterAll(() => fleet?.stop());

  it('replicates the observation stream from its root, a page per hour, each member once', async () => {
    const pages = await replicate('observations');
    // The root, then the hours from a day before the newest page to it.
    expect(pages.length).toBe(26);
    const members = pages.flatMap(({ page }) => page['tree:member']);
    const ids = members.map((m) => m['@id']);
    expect(new Set(ids).size).toBe(ids.length);
    // The hour that ended at the page's time: the air station's NO2 mean of 25.
    const page = pages.find(({ page: p }) =>
      p['tree:view']['@id'].endsWith(new Date(lastHour + HOUR).toISOString()),
    )!;
    const no2 = page.page['tree:member'].find((m) => m['@id'].includes('/leuven/air/pub-1/no2/'))!;
    expect(no2['sosa:hasSimpleResult']).toBe(25);
    expect(no2['prov:generatedAtTime']).toEqual({
      '@value': new Date(lastHour + HOUR).toISOString(),
      '@type': 'xsd:dateTime',
    });
    // Hidden sensors are not in the stream.
    expect(ids.join()).not.toContain('hidden-1');
  });

  it('freezes pages once their hour is past the grace period, and states the licence', async () => {
    const pages = await replicate('observations');
    const [root, ...hours] = pages;
    expect(root!.page['dcterms:license' as keyof Page]).toEqual({
      '@id': 'https://creativecommons.org/licenses/by/4.0/',
    });
    const old = hours[0]!;
    expect(old.page['tree:view']['ldes:immutable']).toBe(true);
    expect(old.cacheControl).toBe('public, max-age=31536000, immutable');
    // The newest page may still change: short-lived, and no relation to an hour not yet over.
    const newest = hours.at(-1)!;
    expect(newest.page['tree:view']['ldes:immutable']).toBeUndefined();
    expect(newest.cacheControl).toBe('public, max-age=60');
    expect(newest.page['tree:view']['tree:relation']).toEqual([]);
  });

  it('serves traffic as OSLO Verkeersmetingen that expand, with the served context, to the profile’s IRIs', async () => {
    const { body } = await get(`/ldes/v1/verkeersmetingen/${new Date(lastHour + HOUR).toISOString()}`);
    // Contexts come from the service itself: nothing is fetched from the internet.
    const options = {
      documentLoader: async (url: string) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        return { contextUrl: undefined, documentUrl: url, document: (await response.json()) as unknown };
      },
    } as unknown as jsonld.Options.Expand;
    const expanded = await jsonld.expand(body as unknown as jsonld.JsonLdDocument, options);
    expect(JSON.stringify(expanded)).toContain(`${VKM}Verkeersmeting`);
    // Flattened without a context: the expanded form, every value an array, every node by IRI.
    const graph = (await jsonld.flatten(
      body as unknown as jsonld.JsonLdDocument,
      null as unknown as jsonld.ContextDefinition,
      options,
    )) as unknown as Array<Record<string, unknown> & { '@id': string }>;
    const nodes = new Map(graph.map((n) => [n['@id'], n]));
    const measurements = graph.filter((n) =>
      (n['@type'] as string[] | undefined)?.includes(`${VKM}Verkeersmeting`),
    );
    // auto 300 (100 + 200), V85 45: the counter's hour, worked by hand.
    const byKind = new Map(
      measurements.map((m) => {
        const kenmerk = nodes.get((m[`${VKM}geobserveerdKenmerk`] as Array<{ '@id': string }>)[0]!['@id'])!;
        const type = (kenmerk['http://purl.org/dc/elements/1.1/type'] as Array<{ '@id': string }>)[0]!['@id'];
        const vehicle = (kenmerk[`${VKM}voertuigType`] as Array<{ '@id': string }>)[0]!['@id'];
        const result = (
          m['http://def.isotc211.org/iso19156/2011/Observation#OM_Observation.result'] as Array<{
            '@value': number;
          }>
        )[0]!['@value'];
        return [`${type.slice(CONCEPT.length)} ${vehicle.slice(CONCEPT.length)}`, result];
      }),
    );
    expect(Object.fromEntries(byKind)).toEqual({
      'VkmVerkeersKenmerkType/aantal VkmVoertuigType/auto': 300,
      'VkmVerkeersKenmerkType/V85 VkmVoertuigType/auto': 45,
    });
    // The counter is a Telraam: its sensor's instrument type from the codelist.
    const sensor = graph.find((n) => n['@id'].endsWith('/id/sensor/leuven/mobility/telraam-9000'))!;
    expect(sensor['http://purl.org/dc/terms/type']).toEqual([
      { '@id': `${CONCEPT}VkmMeetInstrumentType/telraam` },
    ]);
    // Rounded as on the public map.
    const point = graph.find((n) => n['@id'].endsWith('/id/verkeersmeetpunt/leuven/mobility/telraam-9000'))!;
    const geometry = nodes.get(
      (
        point['http://def.isotc211.org/iso19156/2011/SamplingPoint#SF_SamplingPoint.shape'] as Array<{
          '@id': string;
        }>
      )[0]!['@id'],
    )!;
    expect(geometry['http://www.opengis.net/ont/geosparql#asWKT']).toEqual([
      { '@value': 'POINT (4.712 50.875)', '@type': 'http://www.w3.org/2000/01/rdf-schema#Literal' },
    ]);
  });

  it('answers 404 with the reason for a page that is no hour, an hour not yet over, before the start, or no stream', async () => {
    for (const [path, message] of [
      ['/ldes/v1/observations/2026-12-01T10:30:00Z', /^no page/],
      [`/ldes/v1/observations/${new Date(lastHour + 3 * HOUR).toISOString()}`, /^no page/],
      // Before the stream's start (a day back here): no query for it.
      [`/ldes/v1/observations/${new Date(lastHour - 2 * 24 * HOUR).toISOString()}`, /^no page .* from /],
      ['/ldes/v1/weather', /^no stream weather/],
    ] as const) {
      const { response, body } = await get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect((body as unknown as { message: string }).message).toMatch(message);
    }
  });
});
