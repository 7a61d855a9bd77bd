import type { OpenReading } from '../open-reading';

/**
 * OSLO Verkeersmetingen (Digitaal Vlaanderen, erkende standaard 2024-04-17): the application
 * profile's JSON-LD context, copied from Informatievlaanderen/OSLOthema-verkeersmetingen @
 * f55210c (site-skeleton/Verkeersmetingen-ap/verkeersmetingen-ap.jsonld, 2023-12-05) and
 * served by Meetnet, as the standards notes advise: the published URL of the recognised
 * version is not confirmed, and a context fetched at run time is a dependency on uptime.
 */
export const OSLO_CONTEXT_PATH = '/ldes/v1/contexts/verkeersmetingen-ap.jsonld';

const CONCEPT = 'https://data.vlaanderen.be/id/concept';
/** Meetnet's counts as the profile's vehicle types (VkmVoertuigType), as the VSDS Telraam stream maps them. */
const COUNTED = { car: 'auto', heavy: 'vrachtwagen', bike: 'fiets', pedestrian: 'voetganger' } as const;
/** Device models whose instrument type the codelist (VkmMeetInstrumentType) names. */
const INSTRUMENTS: Record<string, string> = { telraam: 'telraam' };

const iso = (ms: number) => new Date(ms).toISOString();
const stamp = (ms: number) => ({
  'time:inXSDDateTimeStamp': { '@value': iso(ms), '@type': 'xsd:dateTimeStamp' },
});

export function osloContext(base: string): unknown[] {
  return [
    `${base}${OSLO_CONTEXT_PATH}`,
    {
      time: 'http://www.w3.org/2006/time#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      prov: 'http://www.w3.org/ns/prov#',
      dcterms: 'http://purl.org/dc/terms/',
    },
  ];
}

/**
 * A traffic counter's hour as Verkeersmetingen: one per vehicle type counted (kenmerk
 * `aantal`) and one for V85 (kenmerk `V85`, cars), each at the Verkeersmeetpunt where the
 * counter stands, made with its Sensor (instrument type `telraam` for Telraam counters).
 */
export function verkeersmetingen(base: string, reading: OpenReading): Array<Record<string, unknown>> {
  const end = reading.ts + (reading.periodS ?? 3600) * 1000;
  const point = {
    '@id': `${base}/id/verkeersmeetpunt/${reading.key}`,
    '@type': 'Verkeersmeetpunt',
    // Lon before lat with no CRS prefix: CRS84, the order GeoJSON has too.
    'Verkeersmeetpunt.geometrie': {
      '@type': 'Punt',
      'Geometrie.wkt': `POINT (${reading.coordinates[0]} ${reading.coordinates[1]})`,
    },
  };
  const instrument = reading.model ? INSTRUMENTS[reading.model.toLowerCase()] : undefined;
  const sensor = {
    '@id': `${base}/id/sensor/${reading.key}`,
    '@type': 'Sensor',
    ...(instrument ? { 'dcterms:type': { '@id': `${CONCEPT}/VkmMeetInstrumentType/${instrument}` } } : {}),
  };
  const measurement = (code: string, kenmerk: string, vehicle: string, result: number) => ({
    '@id': `${base}/id/verkeersmeting/${reading.key}/${code}/${iso(reading.ts)}`,
    '@type': 'Verkeersmeting',
    'Verkeersmeting.geobserveerdKenmerk': {
      '@type': 'Verkeerskenmerk',
      'Verkeerskenmerk.type': { '@id': `${CONCEPT}/VkmVerkeersKenmerkType/${kenmerk}` },
      'Verkeerskenmerk.voertuigType': [{ '@id': `${CONCEPT}/VkmVoertuigType/${vehicle}` }],
    },
    'Verkeersmeting.geobserveerdObject': point,
    'Verkeersmeting.fenomeenTijd': {
      '@type': 'TemporeleEntiteit',
      'time:hasBeginning': stamp(reading.ts),
      'time:hasXSDDuration': { '@value': `PT${(reading.periodS ?? 3600) / 3600}H`, '@type': 'xsd:duration' },
    },
    'Verkeersmeting.resultaat': result,
    'Verkeersmeting.resultaattijd': stamp(end),
    'Verkeersmeting.uitgevoerdMet': sensor,
    'prov:generatedAtTime': { '@value': iso(end), '@type': 'xsd:dateTime' },
  });
  const members = Object.entries(COUNTED).flatMap(([field, vehicle]) => {
    const count = reading.values[field];
    return count === undefined ? [] : [measurement(field, 'aantal', vehicle, count)];
  });
  const v85 = reading.values['v85'];
  if (v85 !== undefined) members.push(measurement('v85', 'V85', 'auto', v85));
  return members;
}
