import { bikeIntensity, carIntensity, pedestrianIntensity, weatherDrift } from './patterns';
import { brusselsTime } from './local-time';

const WEDNESDAY = 3;
const SUNDAY = 0;
const hours = Array.from({ length: 24 * 4 }, (_, i) => i / 4);
const peakHours = (f: (t: { hour: number; weekday: number }) => number, weekday: number) => {
  // Local maxima of the day's curve.
  const values = hours.map((hour) => f({ hour, weekday }));
  return hours.filter(
    (_, i) => i > 0 && i < values.length - 1 && values[i]! > values[i - 1]! && values[i]! > values[i + 1]!,
  );
};

describe('daily patterns', () => {
  it('has weekday car peaks in the morning and evening rush', () => {
    const peaks = peakHours(carIntensity, WEDNESDAY);
    expect(peaks.some((h) => h >= 7.5 && h <= 8.5)).toBe(true);
    expect(peaks.some((h) => h >= 16.5 && h <= 18)).toBe(true);
    expect(carIntensity({ hour: 3, weekday: WEDNESDAY })).toBeLessThan(
      carIntensity({ hour: 8, weekday: WEDNESDAY }) / 5,
    );
  });

  it('has no morning rush on Sunday', () => {
    expect(carIntensity({ hour: 8, weekday: SUNDAY })).toBeLessThan(
      carIntensity({ hour: 8, weekday: WEDNESDAY }) / 2,
    );
    expect(peakHours(carIntensity, SUNDAY)).toEqual([14]);
  });

  it('gives cyclists a sharper morning peak than cars and pedestrians a midday one', () => {
    const ratio = (f: typeof carIntensity) =>
      f({ hour: 8, weekday: WEDNESDAY }) / f({ hour: 10.5, weekday: WEDNESDAY });
    expect(ratio(bikeIntensity)).toBeGreaterThan(ratio(carIntensity));
    const pedestrianPeaks = peakHours(pedestrianIntensity, WEDNESDAY);
    expect(pedestrianPeaks[0]).toBeGreaterThanOrEqual(12);
    expect(pedestrianPeaks[0]).toBeLessThanOrEqual(13.5);
  });

  it('drifts weather slowly: an hour apart changes little, days apart a lot', () => {
    const t = Date.parse('2026-11-28T12:00:00Z');
    expect(Math.abs(weatherDrift(t, 0.3) - weatherDrift(t + 3_600_000, 0.3))).toBeLessThan(0.05);
    const days = Array.from({ length: 10 }, (_, d) => weatherDrift(t + d * 86_400_000, 0.3));
    expect(Math.max(...days) - Math.min(...days)).toBeGreaterThan(0.3);
  });
});

describe('brusselsTime', () => {
  it('follows Belgian summer and winter time', () => {
    expect(brusselsTime(Date.parse('2026-01-14T07:00:00Z'))).toEqual({ hour: 8, weekday: WEDNESDAY });
    expect(brusselsTime(Date.parse('2026-07-15T06:30:00Z'))).toEqual({ hour: 8.5, weekday: WEDNESDAY });
  });
});
