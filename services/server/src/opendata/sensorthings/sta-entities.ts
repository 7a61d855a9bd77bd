import { DOMAIN_FIELDS, DOMAINS, type Domain, type FieldSpec } from '@meetnet/contracts';
import type { OpenSensor } from '../open-readings.service';

/** The SensorThings entity sets (OGC 18-088 §8), in the service root's order. */
export const ENTITY_SETS = [
  'Things',
  'Locations',
  'HistoricalLocations',
  'Datastreams',
  'Sensors',
  'ObservedProperties',
  'Observations',
  'FeaturesOfInterest',
] as const;
export type EntitySet = (typeof ENTITY_SETS)[number];

/** Each set's navigation properties: to-one by its singular name, to-many by its set name. */
export const NAVIGATION: Record<EntitySet, Record<string, EntitySet>> = {
  Things: { Datastreams: 'Datastreams', Locations: 'Locations', HistoricalLocations: 'HistoricalLocations' },
  Locations: { Things: 'Things', HistoricalLocations: 'HistoricalLocations' },
  HistoricalLocations: { Thing: 'Things', Locations: 'Locations' },
  Datastreams: {
    Thing: 'Things',
    Sensor: 'Sensors',
    ObservedProperty: 'ObservedProperties',
    Observations: 'Observations',
  },
  Sensors: { Datastreams: 'Datastreams' },
  ObservedProperties: { Datastreams: 'Datastreams' },
  Observations: { Datastream: 'Datastreams', FeatureOfInterest: 'FeaturesOfInterest' },
  FeaturesOfInterest: { Observations: 'Observations' },
};

/** Fields per domain, in the spec's order: a field's place in its domain is part of ids. */
const FIELD_SLOTS = 64;

/**
 * A stable numeric id per sensor (the conformance suite reads ids as integers): FNV-1a of its
 * key, cut to 46 bits so that a Datastream id (sensor × 64 + field) stays a safe integer.
 */
export function thingId(key: string): number {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(key)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return Number(hash & ((1n << 46n) - 1n)) + 1;
}

export function datastreamId(key: string, domain: Domain, field: string): number {
  return thingId(key) * FIELD_SLOTS + Object.keys(DOMAIN_FIELDS[domain]).indexOf(field);
}

/** One ObservedProperty per (domain, field): `air` `no2` is not `weather` `temperature`'s kin. */
const OBSERVED = DOMAINS.flatMap((domain) =>
  Object.entries(DOMAIN_FIELDS[domain] as Record<string, FieldSpec>).map(([field, spec]) => ({
    domain,
    field,
    spec,
  })),
);

export function observedPropertyId(domain: Domain, field: string): number {
  return OBSERVED.findIndex((o) => o.domain === domain && o.field === field) + 1;
}

/** The UCUM code of a Meetnet unit; a count is a unitless `{count}`. */
const UCUM: Record<string, string> = {
  'µg/m³': 'ug/m3',
  '°C': 'Cel',
  '%': '%',
  'dB(A)': 'dB',
  'km/h': 'km/h',
  hPa: 'hPa',
  'm/s': 'm/s',
  '°': 'deg',
  mm: 'mm',
};

export type StaEntity = Record<string, unknown> & { '@iot.id': number | string };

export interface DatastreamRef {
  sensor: OpenSensor;
  field: string;
  spec: FieldSpec;
}

/**
 * The entity graph of the public sensors: each sensor a Thing with one Location (its place),
 * one HistoricalLocation, one Sensor, one FeatureOfInterest (all sharing its id), and a
 * Datastream per field. Observations are read from InfluxDB (sta-observations.ts).
 */
export class StaGraph {
  private readonly byThing = new Map<number, OpenSensor>();
  private readonly datastreams = new Map<number, DatastreamRef>();

  constructor(sensors: readonly OpenSensor[]) {
    for (const sensor of sensors) {
      this.byThing.set(thingId(sensor.key), sensor);
      for (const [field, spec] of Object.entries(
        DOMAIN_FIELDS[sensor.address.domain] as Record<string, FieldSpec>,
      )) {
        this.datastreams.set(datastreamId(sensor.key, sensor.address.domain, field), { sensor, field, spec });
      }
    }
  }

  sensor(id: number): OpenSensor | undefined {
    return this.byThing.get(id);
  }

  datastream(id: number): DatastreamRef | undefined {
    return this.datastreams.get(id);
  }

  /** Every entity of a set but Observations, in id order. */
  all(set: Exclude<EntitySet, 'Observations'>): StaEntity[] {
    if (set === 'Datastreams')
      return this.sorted([...this.datastreams.keys()].map((id) => this.entity(set, id)!));
    if (set === 'ObservedProperties') return OBSERVED.map((_, i) => this.entity(set, i + 1)!);
    return this.sorted([...this.byThing.keys()].map((id) => this.entity(set, id)!));
  }

  /** One entity by id, without its links (the controller adds them). */
  entity(set: Exclude<EntitySet, 'Observations'>, id: number): StaEntity | undefined {
    if (set === 'Datastreams') {
      const ref = this.datastreams.get(id);
      if (!ref) return undefined;
      const { sensor, field, spec } = ref;
      return {
        '@iot.id': id,
        name: `${sensor.name ?? sensor.address.sensorId} ${field}`,
        description: `${field} of ${sensor.key}${sensor.hourly ? ', hourly (counts: totals per hour)' : ''}`,
        observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
        unitOfMeasurement: {
          name: spec.unit,
          symbol: spec.unit,
          definition: `ucum:${UCUM[spec.unit] ?? '{count}'}`,
        },
      };
    }
    if (set === 'ObservedProperties') {
      const observed = OBSERVED[id - 1];
      if (!observed) return undefined;
      return {
        '@iot.id': id,
        name: `${observed.domain}/${observed.field}`,
        // A name, not a page: the field is defined in the domain's spec (services/contracts).
        definition: `urn:meetnet:property:${observed.domain}:${observed.field}`,
        description: `${observed.field} (${observed.spec.unit}) of Meetnet's ${observed.domain} layer`,
      };
    }
    const sensor = this.byThing.get(id);
    if (!sensor) return undefined;
    const name = sensor.name ?? sensor.address.sensorId;
    const geometry = { type: 'Point', coordinates: sensor.coordinates };
    switch (set) {
      case 'Things':
        return {
          '@iot.id': id,
          name,
          description: `Meetnet ${sensor.address.domain} sensor ${sensor.key}`,
          properties: { key: sensor.key, city: sensor.address.city, layer: sensor.address.domain },
        };
      case 'Locations':
        return {
          '@iot.id': id,
          name,
          description: `Where ${name} measures`,
          encodingType: 'application/geo+json',
          location: geometry,
        };
      case 'HistoricalLocations':
        // One per Thing: Meetnet keeps a sensor's place, not the history of its places; it was
        // there at its latest reading at least.
        return { '@iot.id': id, time: new Date(sensor.latestTs ?? Date.now()).toISOString() };
      case 'Sensors':
        return {
          '@iot.id': id,
          name: `${name} (${sensor.address.domain})`,
          description: `The device behind ${sensor.key}`,
          encodingType: 'text/plain',
          metadata: `Meetnet ${sensor.address.domain} sensor`,
        };
      case 'FeaturesOfInterest':
        return {
          '@iot.id': id,
          name,
          description: `The air, street or square at ${name}`,
          encodingType: 'application/geo+json',
          feature: geometry,
        };
    }
  }

  /** The ids a navigation from an entity leads to (a to-one as a list of one). */
  related(set: EntitySet, id: number | string, navigation: string): Array<number | string> {
    const target = NAVIGATION[set][navigation];
    if (!target) return [];
    if (set === 'Datastreams') {
      const ref = this.datastreams.get(id as number);
      if (!ref) return [];
      if (target === 'Things') return [thingId(ref.sensor.key)];
      if (target === 'Sensors') return [thingId(ref.sensor.key)];
      if (target === 'ObservedProperties') return [observedPropertyId(ref.sensor.address.domain, ref.field)];
      return [];
    }
    if (set === 'ObservedProperties') {
      const observed = OBSERVED[(id as number) - 1];
      return observed
        ? [...this.datastreams.entries()]
            .filter(
              ([, ref]) => ref.sensor.address.domain === observed.domain && ref.field === observed.field,
            )
            .map(([dsId]) => dsId)
            .sort((a, b) => a - b)
        : [];
    }
    if (set === 'Observations') return [];
    if (!this.byThing.has(id as number)) return [];
    if (target === 'Datastreams') {
      return [...this.datastreams.entries()]
        .filter(([, ref]) => thingId(ref.sensor.key) === id)
        .map(([dsId]) => dsId);
    }
    // Thing, Location, HistoricalLocation, Sensor and FeatureOfInterest of a sensor share its id.
    return target === 'Observations' ? [] : [id];
  }

  private sorted(entities: StaEntity[]): StaEntity[] {
    return entities.sort((a, b) => (a['@iot.id'] as number) - (b['@iot.id'] as number));
  }
}
