import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import {
  boundingBox,
  citySlug,
  type Domain,
  type MetaPayload,
  type MunicipalityFeature,
  type SensorAddress,
} from '@meetnet/contracts';
import { Random } from './random';

/** One simulated device and the traits that make its readings its own. */
export interface SimulatedSensor extends SensorAddress {
  meta: MetaPayload;
  /** Scales the city-wide shapes: a ring road counts more cars than a side street. */
  size: number;
  /** Fixed offset of this device's readings (site and calibration). */
  bias: number;
}

/** Domain mix of a default fleet: counters are the most common, then air and noise. */
const DOMAIN_SHARES: ReadonlyArray<[Domain, number]> = [
  ['mobility', 0.4],
  ['air', 0.3],
  ['noise', 0.3],
];

const MODELS: Record<Domain, string> = {
  air: 'Meetnet AQ-2',
  noise: 'Meetnet NM-1',
  mobility: 'Meetnet TC-4',
};
const NAMES: Record<Domain, string> = { air: 'luchtkwaliteit', noise: 'geluid', mobility: 'telpunt' };
const ID_PREFIX: Record<Domain, string> = { air: 'air', noise: 'noise', mobility: 'mob' };

function randomPointIn(city: MunicipalityFeature, random: Random): [number, number] {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(city);
  // Rejection sampling: the bounding box of a Flemish municipality is mostly inside it.
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const point: [number, number] = [random.between(minLon, maxLon), random.between(minLat, maxLat)];
    if (booleanPointInPolygon(point, city)) return point;
  }
  throw new Error(`could not place a sensor inside ${city.properties.name}`);
}

export function domainCounts(total: number): Record<Domain, number> {
  const counts = { air: 0, noise: 0, mobility: 0 };
  let assigned = 0;
  for (const [domain, share] of DOMAIN_SHARES) {
    counts[domain] = Math.floor(total * share);
    assigned += counts[domain];
  }
  // Whatever rounding left over goes to the first domains, so the total is exact.
  for (let i = 0; assigned < total; i++, assigned++) counts[DOMAIN_SHARES[i % DOMAIN_SHARES.length]![0]] += 1;
  return counts;
}

/** A deterministic fleet placed at real coordinates inside the municipality. */
export function createFleet(
  city: MunicipalityFeature,
  total: number,
  seed: string,
  intervalS: number,
): SimulatedSensor[] {
  const random = new Random(`${seed}:fleet`);
  const slug = citySlug(city.properties.name);
  const sensors: SimulatedSensor[] = [];
  for (const [domain, count] of Object.entries(domainCounts(total)) as Array<[Domain, number]>) {
    const width = Math.max(4, String(count).length);
    for (let i = 1; i <= count; i++) {
      const [lon, lat] = randomPointIn(city, random);
      const number = String(i).padStart(width, '0');
      sensors.push({
        city: slug,
        domain,
        sensorId: `${ID_PREFIX[domain]}-${number}`,
        size: random.between(0.3, 1.5),
        bias: random.gaussian(0, 1),
        meta: {
          name: `${city.properties.name} ${NAMES[domain]} ${i}`,
          lat: Math.round(lat * 1e6) / 1e6,
          lon: Math.round(lon * 1e6) / 1e6,
          model: MODELS[domain],
          firmware: '1.4.2',
          intervalS,
        },
      });
    }
  }
  return sensors;
}
