import { bandColour, bandIndex, NO_DATA_COLOUR } from './bands';
import {
  AIR_SCALES,
  markerScale,
  markerValue,
  MOBILITY_SCALE,
  NOISE_SCALE,
  TEMPERATURE_SCALE,
} from './domains';

describe('colour bands', () => {
  it('puts a value on a band edge in the lower band (bands are inclusive at the top)', () => {
    expect(bandIndex(AIR_SCALES.no2, 10)).toBe(0);
    expect(bandIndex(AIR_SCALES.no2, 10.1)).toBe(1);
    expect(bandIndex(AIR_SCALES.pm25, 15)).toBe(1);
  });

  it('follows the 2024 EEA index for PM2.5', () => {
    expect(
      [3, 10, 30, 70, 120, 500].map((v) => AIR_SCALES.pm25.bands[bandIndex(AIR_SCALES.pm25, v)]!.label.en),
    ).toEqual(['Good', 'Fair', 'Moderate', 'Poor', 'Very poor', 'Extremely poor']);
  });

  it('classes noise in 5 dB(A) steps with an open top', () => {
    expect([44, 47, 62, 74.9, 90].map((v) => bandIndex(NOISE_SCALE, v))).toEqual([0, 1, 4, 6, 7]);
  });

  it('colours mobility by motor vehicles per hour, from the counting period', () => {
    expect(markerValue('mobility', { car: 40, heavy: 10, bike: 99 }, 300)).toBe(600);
    expect(bandColour(MOBILITY_SCALE, 600)).toBe(MOBILITY_SCALE.bands[2]!.colour);
  });

  it('greys out a sensor without the value its layer shows', () => {
    expect(bandColour(markerScale('air', 'o3'), markerValue('air', { no2: 20 }, undefined, 'o3'))).toBe(
      NO_DATA_COLOUR,
    );
  });

  it('has one more colour than limits in every scale, and ascending limits', () => {
    for (const scale of [...Object.values(AIR_SCALES), NOISE_SCALE, MOBILITY_SCALE, TEMPERATURE_SCALE]) {
      const limits = scale.bands.map((b) => b.upTo);
      expect(limits.at(-1)).toBeNull();
      const finite = limits.slice(0, -1) as number[];
      expect([...finite].sort((a, b) => a - b)).toEqual(finite);
    }
  });
});
