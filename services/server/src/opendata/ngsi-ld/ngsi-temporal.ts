import { domainSpec } from '@meetnet/contracts';
import type { OpenReading } from '../open-reading';
import type { OpenSensor } from '../open-readings.service';
import { deviceId, entityId, modelAttributes, type NgsiEntity, normalizedValue } from './ngsi-entities';

/**
 * A sensor's history in NGSI-LD's temporal representation: each attribute an array of its
 * instances (`observedAt` each), or with `temporalValues` the simplified `[value, time]` pairs.
 */
export function temporalEntity(sensor: OpenSensor, history: OpenReading[], simplified: boolean): NgsiEntity {
  const model = domainSpec(sensor.address.domain).smartDataModel;
  const entity: NgsiEntity = {
    id: entityId({ domain: sensor.address.domain, key: sensor.key }),
    type: model.type,
  };
  entity['location'] = { type: 'GeoProperty', value: { type: 'Point', coordinates: sensor.coordinates } };
  entity['refDevice'] = { type: 'Relationship', object: deviceId(sensor.key) };
  const instances = new Map<string, Array<Record<string, unknown>>>();
  const pairs = new Map<string, Array<[number, string]>>();
  for (const reading of history) {
    for (const attribute of modelAttributes(reading)) {
      if (simplified) {
        const list = pairs.get(attribute.name) ?? [];
        list.push([attribute.value, new Date(reading.ts).toISOString()]);
        pairs.set(attribute.name, list);
      } else {
        const list = instances.get(attribute.name) ?? [];
        list.push(normalizedValue(attribute, reading.ts));
        instances.set(attribute.name, list);
      }
    }
  }
  for (const [name, list] of instances) entity[name] = list;
  for (const [name, values] of pairs) entity[name] = { type: 'Property', values };
  entity['@context'] = [model.context];
  return entity;
}
