import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { findMunicipality, validateMeta } from '@meetnet/contracts';
import { createFleet, domainCounts } from './fleet';

const leuven = findMunicipality('Leuven')!;

describe('createFleet', () => {
  it('places every sensor inside the municipality', () => {
    const fleet = createFleet(leuven, 300, 'seed', 5);
    expect(fleet).toHaveLength(300);
    for (const sensor of fleet) {
      expect(booleanPointInPolygon([sensor.meta.lon, sensor.meta.lat], leuven)).toBe(true);
    }
  });

  it('gives the same fleet for the same seed and another for another seed', () => {
    expect(createFleet(leuven, 50, 'a', 5)).toEqual(createFleet(leuven, 50, 'a', 5));
    expect(createFleet(leuven, 50, 'b', 5)[0]!.meta).not.toEqual(createFleet(leuven, 50, 'a', 5)[0]!.meta);
  });

  it('mixes the domains and keeps sensor ids unique and topic-safe', () => {
    const fleet = createFleet(leuven, 1000, 'seed', 5);
    expect(new Set(fleet.map((s) => `${s.domain}/${s.sensorId}`)).size).toBe(1000);
    expect(fleet.filter((s) => s.domain === 'mobility')).toHaveLength(400);
    expect(fleet.every((s) => s.city === 'leuven' && validateMeta(s.meta))).toBe(true);
  });

  it('splits any total exactly', () => {
    for (const total of [1, 2, 7, 301, 9999]) {
      const counts = domainCounts(total);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});
