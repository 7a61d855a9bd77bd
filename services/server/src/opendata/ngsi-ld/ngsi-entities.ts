import { domainSpec } from '@meetnet/contracts';
import { type OpenReading, readingInterval } from '../open-reading';

/** NGSI-LD's two JSON forms: every attribute a Property object, or plain values. */
export type NgsiForm = 'normalized' | 'keyValues';

export type NgsiEntity = Record<string, unknown> & { id: string; type: string };

const iso = (ms: number) => new Date(ms).toISOString();
const colons = (key: string) => key.replaceAll('/', ':');

/** Stable per sensor: `urn:ngsi-ld:AirQualityObserved:meetnet:leuven:air:air-0001`. */
export function entityId(reading: Pick<OpenReading, 'domain' | 'key'>): string {
  return `urn:ngsi-ld:${domainSpec(reading.domain).smartDataModel.type}:meetnet:${colons(reading.key)}`;
}

/** The sensor itself, as FIWARE's Device model would name it. */
export function deviceId(key: string): string {
  return `urn:ngsi-ld:Device:meetnet:${colons(key)}`;
}

/** The sensor key an entity id names (for `/entities/{id}`); undefined for any other id. */
export function sensorKeyOf(id: string): string | undefined {
  const match = /^urn:ngsi-ld:[A-Za-z]+:meetnet:([a-z0-9-]+):([a-z]+):([A-Za-z0-9_.-]+)$/.exec(id);
  return match ? `${match[1]}/${match[2]}/${match[3]}` : undefined;
}

export interface ModelValue {
  name: string;
  value: number;
  unitCode?: string;
}

/** The model's attributes of a reading: mapped fields in the model's units, then derived ones. */
export function modelAttributes(reading: OpenReading): ModelValue[] {
  const model = domainSpec(reading.domain).smartDataModel;
  const attributes: ModelValue[] = [];
  for (const [field, attribute] of Object.entries(model.attributes)) {
    const value = reading.values[field];
    if (value === undefined || !attribute) continue;
    // toPrecision: 61 % × 0.01 is 0.61, not 0.6100000000000001.
    const scaled =
      attribute.factor === undefined ? value : Number((value * attribute.factor).toPrecision(12));
    attributes.push({
      name: attribute.name,
      value: scaled,
      ...(attribute.unitCode ? { unitCode: attribute.unitCode } : {}),
    });
  }
  for (const [name, value] of Object.entries(model.derived?.(reading.values) ?? {})) {
    attributes.push({ name, value });
  }
  return attributes;
}

/** When the reading was observed, as the model names it: an instant, or from/to over its period. */
function times(reading: OpenReading): Record<string, string> {
  const model = domainSpec(reading.domain).smartDataModel;
  const [from, to] = readingInterval(reading);
  if (!model.interval) return { dateObserved: iso(reading.ts) };
  return { dateObserved: `${iso(from)}/${iso(to)}`, dateObservedFrom: iso(from), dateObservedTo: iso(to) };
}

/**
 * One reading as its Smart Data Model entity. Key-values is what the model's JSON Schema
 * describes; normalized wraps each attribute as an NGSI-LD Property with `unitCode` and
 * `observedAt` (what temporal NGSI-LD APIs key on), and instants as typed DateTimes.
 */
export function ngsiEntity(reading: OpenReading, form: NgsiForm): NgsiEntity {
  const model = domainSpec(reading.domain).smartDataModel;
  const location = { type: 'Point', coordinates: reading.coordinates };
  const entity: NgsiEntity = { id: entityId(reading), type: model.type };
  const described = { name: reading.name ?? reading.sensorId, dataProvider: 'Meetnet' };
  if (form === 'keyValues') {
    Object.assign(entity, described, times(reading), { location, refDevice: deviceId(reading.key) });
    for (const attribute of modelAttributes(reading)) entity[attribute.name] = attribute.value;
  } else {
    for (const [name, value] of Object.entries(described)) entity[name] = { type: 'Property', value };
    for (const [name, value] of Object.entries(times(reading))) {
      // An interval is text; an instant is a typed DateTime.
      const typed = value.includes('/') ? value : { '@type': 'DateTime', '@value': value };
      entity[name] = { type: 'Property', value: typed };
    }
    entity['location'] = { type: 'GeoProperty', value: location };
    entity['refDevice'] = { type: 'Relationship', object: deviceId(reading.key) };
    for (const attribute of modelAttributes(reading))
      entity[attribute.name] = normalizedValue(attribute, reading.ts);
  }
  entity['@context'] = [model.context];
  return entity;
}

/** One value as an NGSI-LD Property, observed at `ts`. */
export function normalizedValue(attribute: ModelValue, ts: number): Record<string, unknown> {
  return {
    type: 'Property',
    value: attribute.value,
    ...(attribute.unitCode ? { unitCode: attribute.unitCode } : {}),
    observedAt: iso(ts),
  };
}
