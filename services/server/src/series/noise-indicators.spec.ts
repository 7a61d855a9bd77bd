import { IndicatorAccumulator, indicatorDayOf } from './noise-indicators';

/** One reading per hour of one indicator day, from 07:00: day 60 then 70 dB, evening 55, night 50. */
function workedExample(indicator: ConstructorParameters<typeof IndicatorAccumulator>[0]): number | undefined {
  const accumulator = new IndicatorAccumulator(indicator);
  for (let h = 0; h < 6; h++) accumulator.add('day', 60);
  for (let h = 0; h < 6; h++) accumulator.add('day', 70);
  for (let h = 0; h < 4; h++) accumulator.add('evening', 55);
  for (let h = 0; h < 8; h++) accumulator.add('night', 50);
  return accumulator.result();
}

describe('noise indicators (END)', () => {
  it('averages energies, not levels: Lday of six hours at 60 and six at 70 dB', () => {
    // 10·log10((6·10^6 + 6·10^7) / 12) = 10·log10(5.5·10^6)
    expect(workedExample('lday')).toBeCloseTo(67.40363, 4);
    expect(workedExample('levening')).toBeCloseTo(55, 10);
    expect(workedExample('lnight')).toBeCloseTo(50, 10);
  });

  it('weighs evening +5 dB and night +10 dB over 12, 4 and 8 hours', () => {
    // 10·log10((12·5.5·10^6 + 4·10^6 + 8·10^6) / 24) = 10·log10(3.25·10^6)
    expect(workedExample('lden')).toBeCloseTo(65.11883, 4);
  });

  it('gives no Lden for a day missing a period', () => {
    const accumulator = new IndicatorAccumulator('lden');
    accumulator.add('day', 60);
    expect(accumulator.result()).toBeUndefined();
  });

  it('counts 23:30 and 06:59 to the night of the day that began at 07:00 the day before', () => {
    const late = indicatorDayOf(Date.parse('2026-03-28T23:30:00+01:00'), 'Europe/Brussels');
    const early = indicatorDayOf(Date.parse('2026-03-29T06:59:00+02:00'), 'Europe/Brussels');
    expect(late).toEqual({ start: Date.parse('2026-03-28T07:00:00+01:00'), period: 'night' });
    expect(early).toEqual(late);
    expect(indicatorDayOf(Date.parse('2026-03-29T07:00:00+02:00'), 'Europe/Brussels')).toEqual({
      start: Date.parse('2026-03-29T07:00:00+02:00'),
      period: 'day',
    });
  });
});
