import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import {
  boundingBox,
  citySlug,
  type Domain,
  DOMAINS,
  type MetaPayload,
  type MunicipalityFeature,
  type SensorAddress,
} from '@meetnet/contracts';
import { Random } from './random';
import { SIMULATED_DOMAINS } from './readings';

/** One simulated device and the traits that make its readings its own. */
export interface SimulatedSensor extends SensorAddress {
  meta: MetaPayload;
  /** Scales the city-wide shapes: a ring road counts more cars than a side street. */
  size: number;
  /** Fixed offset of this device's readings (site and calibration). */
  bias: number;
}

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
  const counts = Object.fromEntries(DOMAINS.map((domain) => [domain, 0])) as Record<Domain, number>;
  let assigned = 0;
  for (const domain of DOMAINS) {
    counts[domain] = Math.floor(total * SIMULATED_DOMAINS[domain].share);
    assigned += counts[domain];
  }
  // Whatever rounding left over goes to the first domains, so the total is exact.
  for (let i = 0; assigned < total; i++, assigned++) counts[DOMAINS[i % DOMAINS.length]!] += 1;
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
        sensorId: `${SIMULATED_DOMAINS[domain].idPrefix}-${number}`,
        size: random.between(0.3, 1.5),
        bias: random.gaussian(0, 1),
        meta: {
          name: `${city.properties.name} ${SIMULATED_DOMAINS[domain].name} ${i}`,
          lat: Math.round(lat * 1e6) / 1e6,
          lon: Math.round(lon * 1e6) / 1e6,
          model: SIMULATED_DOMAINS[domain].model,
          firmware: '1.4.2',
          intervalS,
        },
      });
    }
  }
  return sensors;
}
