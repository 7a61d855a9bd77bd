import { boundingBox, citySlug, FLANDERS_MUNICIPALITIES, findMunicipality } from './municipalities';

describe('Flemish municipalities', () => {
  it('holds the 299 Flemish municipalities of 2019–2024', () => {
    expect(FLANDERS_MUNICIPALITIES).toHaveLength(299);
  });

  it('finds Leuven by name, slug and NIS code, with its real extent', () => {
    const leuven = findMunicipality('Leuven');
    expect(findMunicipality('24062')).toBe(leuven);
    expect(findMunicipality('leuven')).toBe(leuven);
    const [minLon, minLat, maxLon, maxLat] = boundingBox(leuven!);
    expect(minLon).toBeGreaterThan(4.6);
    expect(maxLon).toBeLessThan(4.8);
    expect(minLat).toBeGreaterThan(50.8);
    expect(maxLat).toBeLessThan(50.95);
  });

  it('does not find Walloon or Brussels municipalities', () => {
    expect(findMunicipality('Namur')).toBeUndefined();
    expect(findMunicipality('Anderlecht')).toBeUndefined();
  });

  it('makes topic-safe slugs', () => {
    expect(citySlug('Sint-Niklaas')).toBe('sint-niklaas');
    expect(citySlug('Knokke-Heist')).toBe('knokke-heist');
    expect(citySlug('Herk-de-Stad ')).toBe('herk-de-stad');
  });
});
