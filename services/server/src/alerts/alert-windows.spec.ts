import { HOUR_MS, type SensorHours } from './hourly-aggregates.reader';
import { exceedanceDays, noiseIndicator, windowMean, windowsEndingIn } from './alert-windows';

const hoursOf = (field: string, start: number, means: (number | undefined)[], count = 60): SensorHours =>
  new Map(
    means.flatMap((mean, i) =>
      mean === undefined ? [] : [[start + i * HOUR_MS, { [field]: { mean, count } }]],
    ),
  );

describe('alert windows', () => {
  const t0 = Date.parse('2026-07-01T04:00:00Z');

  it('averages an 8-hour window over the hours that have data, and says how many did', () => {
    const hours = hoursOf('o3', t0, [110, 120, 130, undefined, 100, 110, 120, 130]);
    const result = windowMean(hours, 'o3', { start: t0, end: t0 + 8 * HOUR_MS }, { minShare: 0.75 });
    expect(result!.value).toBeCloseTo(820 / 7, 6);
    expect(result!.coverage).toBeCloseTo(7 / 8, 6);
  });

  it('leaves out an hour with too few readings of its declared interval', () => {
    const hours = hoursOf('o3', t0, [100, 100]);
    hours.set(t0 + HOUR_MS, { o3: { mean: 300, count: 20 } });
    const result = windowMean(
      hours,
      'o3',
      { start: t0, end: t0 + 2 * HOUR_MS },
      { minShare: 0.75, expectedPerHour: 60 },
    );
    expect(result).toEqual({ value: 100, coverage: 0.5 });
  });

  it('ends rolling windows at every full hour', () => {
    const windows = windowsEndingIn({ kind: 'mean', hours: 8, align: 'rolling' }, t0 + 10, t0 + 3 * HOUR_MS);
    expect(windows.map((w) => [w.start, w.end])).toEqual(
      [1, 2, 3].map((h) => [t0 + (h - 8) * HOUR_MS, t0 + h * HOUR_MS]),
    );
  });

  it('makes the Brussels calendar day 25 hours long on the night the clocks go back', () => {
    const windows = windowsEndingIn(
      { kind: 'mean', hours: 24, align: 'clock' },
      Date.parse('2026-10-25T00:00:00Z'),
      Date.parse('2026-10-26T00:00:00Z'),
    );
    expect(windows).toEqual([
      { start: Date.parse('2026-10-24T22:00:00Z'), end: Date.parse('2026-10-25T23:00:00Z') },
    ]);
  });

  it("judges a 24-hour PM2.5 mean on 18 of the calendar day's 24 hours, and not on 17", () => {
    const day = Date.parse('2026-03-10T00:00:00+01:00');
    const [window] = windowsEndingIn(
      { kind: 'mean', hours: 24, align: 'clock' },
      day + HOUR_MS,
      day + 25 * HOUR_MS,
    );
    expect(window).toEqual({ start: day, end: day + 24 * HOUR_MS });
    // Twelve hours at 10, six at 28, six missing: (12×10 + 6×28) / 18 = 16 > 15.
    const means = [...Array<number>(12).fill(10), ...Array<number>(6).fill(28)];
    const eighteen = windowMean(hoursOf('pm25', day, means), 'pm25', window!, { minShare: 0.75 });
    expect(eighteen).toEqual({ value: 16, coverage: 0.75 });
    const seventeen = windowMean(hoursOf('pm25', day, means.slice(1)), 'pm25', window!, { minShare: 0.75 });
    expect(seventeen!.coverage).toBeLessThan(0.75);
  });

  it('takes Lnight over the nine hours of the night the clocks go back, energetically', () => {
    const [night] = windowsEndingIn(
      { kind: 'lnight' },
      Date.parse('2026-10-25T00:00:00Z'),
      Date.parse('2026-10-25T12:00:00Z'),
    );
    // 23:00 CEST to 07:00 CET.
    expect(night).toEqual({
      start: Date.parse('2026-10-24T21:00:00Z'),
      end: Date.parse('2026-10-25T06:00:00Z'),
    });
    // Eight quiet hours at 40 dB and the last (06:00–07:00 CET, 05:00Z) at 50 dB.
    const hours = hoursOf('laeq', night!.start, [40, 40, 40, 40, 40, 40, 40, 40, 50]);
    const lnight = noiseIndicator(hours, 'laeq', night!, 'lnight', { minShare: 0.75 });
    expect(lnight!.value).toBeCloseTo(10 * Math.log10((8 * 1e4 + 1e5) / 9), 6);
    expect(lnight!.value).toBeCloseTo(43.01, 2);
    expect(lnight!.coverage).toBe(1);
  });

  it('counts the calendar days of the year whose daily mean was above the limit', () => {
    const start = Date.parse('2026-01-01T00:00:00+01:00');
    const days = [60, 40, 55, 51];
    const hours: SensorHours = new Map();
    days.forEach((mean, day) => {
      for (let h = 0; h < 24; h += 1)
        hours.set(start + (day * 24 + h) * HOUR_MS, { pm10: { mean, count: 60 } });
    });
    // The fourth day has only 12 hours: too thin to count.
    for (let h = 12; h < 24; h += 1) hours.delete(start + (3 * 24 + h) * HOUR_MS);
    expect(exceedanceDays(hours, 'pm10', start + 4 * 24 * HOUR_MS, 50, { minShare: 0.75 })).toBe(2);
  });
});
