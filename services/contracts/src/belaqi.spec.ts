import { bandColour, bandIndex } from './bands';
import {
  BELAQI_CLASSES,
  BELAQI_DAILY_LIMITS,
  BELAQI_HOURLY_LIMITS,
  BELAQI_POLLUTANTS,
  BELAQI_SCALE,
  belaqiIndex,
  belaqiSubIndex,
} from './belaqi';
import { markerScale, markerValue } from './domain-specs';

describe('BelAQI (November 2022)', () => {
  it('puts a value on a limit in that class and the smallest step above it in the next (both edges)', () => {
    expect(belaqiSubIndex('pm10', 10)).toBe(1);
    expect(belaqiSubIndex('pm10', 10.1)).toBe(2);
    expect(belaqiSubIndex('pm25', 3.5)).toBe(1);
    expect(belaqiSubIndex('pm25', 3.6)).toBe(2);
    expect(belaqiSubIndex('no2', 75)).toBe(9);
    expect(belaqiSubIndex('no2', 75.1)).toBe(10);
    expect(belaqiSubIndex('o3', 0)).toBe(1);
  });

  it('reads the hourly table (Table 2) row by row: PM2.5 20 is moderate, O3 150 poor, NO2 46 very poor', () => {
    expect(belaqiSubIndex('pm25', 20)).toBe(5);
    expect(belaqiSubIndex('o3', 150)).toBe(6);
    expect(belaqiSubIndex('no2', 46)).toBe(7);
    expect(belaqiSubIndex('pm10', 141)).toBe(10);
  });

  it('reads the daily table (Table 1) on its own limits: the WHO 24-h guidelines end class 5', () => {
    expect(belaqiSubIndex('pm25', 15, 'daily')).toBe(5);
    expect(belaqiSubIndex('pm25', 15.1, 'daily')).toBe(6);
    expect(belaqiSubIndex('pm10', 45, 'daily')).toBe(5);
    expect(belaqiSubIndex('no2', 25, 'daily')).toBe(5);
    expect(belaqiSubIndex('o3', 100, 'daily')).toBe(5);
    // The same hourly value is class 3 on the hourly table.
    expect(belaqiSubIndex('pm10', 30)).toBe(3);
    expect(belaqiSubIndex('pm10', 30, 'daily')).toBe(4);
  });

  it('keeps every table strictly rising, nine limits per pollutant', () => {
    for (const table of [BELAQI_HOURLY_LIMITS, BELAQI_DAILY_LIMITS]) {
      for (const pollutant of BELAQI_POLLUTANTS) {
        const limits = table[pollutant];
        expect(limits).toHaveLength(9);
        for (let i = 1; i < limits.length; i++) expect(limits[i]!).toBeGreaterThan(limits[i - 1]!);
      }
    }
  });

  it('is the highest sub-index, and names the pollutant that set it', () => {
    // PM10 12 → 2, PM2.5 8 → 3, O3 70 → 3, NO2 41 → 6
    expect(belaqiIndex({ pm10: 12, pm25: 8, o3: 70, no2: 41 })).toEqual({
      index: 6,
      pollutant: 'no2',
      missing: [],
    });
  });

  it('gives the highest of what a station measures and names what it does not', () => {
    // NO2 12 → 2, PM2.5 16 → 5
    expect(belaqiIndex({ no2: 12, pm25: 16 })).toEqual({
      index: 5,
      pollutant: 'pm25',
      missing: ['pm10', 'o3'],
    });
    expect(belaqiIndex({ temperature: 20 })).toBeUndefined();
    // A negative or non-finite reading is no reading.
    expect(belaqiIndex({ no2: -1, pm10: Number.NaN })).toBeUndefined();
  });

  it('colours the map by class with IRCEL legend colours, and flags the one colour IRCEL disagrees on', () => {
    expect(BELAQI_SCALE.bands).toHaveLength(10);
    expect(bandColour(BELAQI_SCALE, 1)).toBe('#0000FF');
    expect(bandColour(BELAQI_SCALE, 10)).toBe('#990099');
    expect(bandIndex(BELAQI_SCALE, 6)).toBe(5);
    const flagged = BELAQI_SCALE.bands.filter((band) => band.note);
    expect(flagged.map((band) => band.label.nl)).toEqual(['6 · Ondermaats']);
    expect(BELAQI_CLASSES.map((c) => c.label.nl)).toContain('Uitermate slecht');
  });

  it('is one of the air layer’s colour choices, computed from the station’s latest values', () => {
    expect(markerScale('air', 'belaqi')).toBe(BELAQI_SCALE);
    expect(markerValue('air', { no2: 8, pm10: 50 }, undefined, 'belaqi')).toBe(5);
    // The EEA scales stay as they were.
    expect(markerValue('air', { no2: 8, pm10: 50 }, undefined, 'no2')).toBe(8);
  });
});
