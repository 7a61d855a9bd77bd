import { DOMAIN_FIELDS, type FieldSpec } from '@meetnet/contracts';
import type { OpenReading } from '../open-reading';

const iso = (ms: number) => new Date(ms).toISOString();
const dateTime = (ms: number) => ({ '@value': iso(ms), '@type': 'xsd:dateTime' });

/** The vocabularies the observation stream's members use (inline: nothing fetched at run time). */
export const SOSA_CONTEXT = {
  sosa: 'http://www.w3.org/ns/sosa/',
  time: 'http://www.w3.org/2006/time#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  prov: 'http://www.w3.org/ns/prov#',
  qudt: 'http://qudt.org/schema/qudt/',
};

/** IRIs Meetnet mints for what its streams describe, under the service's own address. */
export const mint = {
  sensor: (base: string, key: string) => `${base}/id/sensor/${key}`,
  property: (base: string, domain: string, field: string) => `${base}/id/property/${domain}/${field}`,
};

/**
 * An hour's values of one sensor as SOSA Observations, one per field: the hour as the
 * phenomenon time, its end as the result time and as `prov:generatedAtTime`, the stream's
 * timestamp path.
 */
export function sosaMembers(base: string, reading: OpenReading): Array<Record<string, unknown>> {
  const end = reading.ts + (reading.periodS ?? 3600) * 1000;
  const specs = DOMAIN_FIELDS[reading.domain] as Record<string, FieldSpec>;
  return Object.entries(reading.values).flatMap(([field, value]) => {
    if (value === undefined || !specs[field]) return [];
    return [
      {
        '@id': `${base}/id/observation/${reading.key}/${field}/${iso(reading.ts)}`,
        '@type': 'sosa:Observation',
        'sosa:madeBySensor': { '@id': mint.sensor(base, reading.key) },
        'sosa:observedProperty': { '@id': mint.property(base, reading.domain, field) },
        'sosa:phenomenonTime': {
          '@type': 'time:Interval',
          'time:hasBeginning': {
            'time:inXSDDateTimeStamp': { '@value': iso(reading.ts), '@type': 'xsd:dateTimeStamp' },
          },
          'time:hasXSDDuration': { '@value': 'PT1H', '@type': 'xsd:duration' },
        },
        'sosa:resultTime': dateTime(end),
        'sosa:hasSimpleResult': value,
        'qudt:unit': specs[field].unit,
        'prov:generatedAtTime': dateTime(end),
      },
    ];
  });
}
