import flanders from './flanders-municipalities.geo.json';

export interface MunicipalityProperties {
  /** NIS code, such as 24062 for Leuven. */
  nis: string;
  name: string;
  population: number;
}

export type Position = [number, number];
export interface MunicipalityFeature {
  type: 'Feature';
  properties: MunicipalityProperties;
  geometry:
    { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
}

export const FLANDERS_MUNICIPALITIES = (flanders as { features: unknown[] })
  .features as MunicipalityFeature[];

/** `Sint-Niklaas` → `sint-niklaas`: the form cities take in MQTT topics. */
export function citySlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Finds a Flemish municipality by NIS code, name or slug. */
export function findMunicipality(nameOrNis: string): MunicipalityFeature | undefined {
  const wanted = citySlug(nameOrNis);
  return FLANDERS_MUNICIPALITIES.find(
    (m) => m.properties.nis === nameOrNis || citySlug(m.properties.name) === wanted,
  );
}

/** [minLon, minLat, maxLon, maxLat] */
export function boundingBox(feature: MunicipalityFeature): [number, number, number, number] {
  const rings =
    feature.geometry.type === 'Polygon' ? feature.geometry.coordinates : feature.geometry.coordinates.flat();
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  return box;
}
