import type uPlot from 'uplot';
import { localeChartFormat } from './chart-format';

const chart = {} as uPlot;

describe('localeChartFormat', () => {
  it('writes legend and axis values with the decimal comma in nl-BE', () => {
    const format = localeChartFormat('nl-BE', 1);
    expect(format.value(chart, 22.46)).toBe('22,5');
    expect(format.values(chart, [0, 2.5, 1000])).toEqual(['0', '2,5', '1.000']);
    expect(format.value(chart, null)).toBe('–');
  });

  it('labels a day of ticks with hours and a month of ticks with dates, in the locale', () => {
    const format = localeChartFormat('nl-BE');
    const noon = Date.parse('2026-11-30T12:00:00Z') / 1000;
    const hours = format.times(chart, [noon, noon + 3600]);
    expect(hours).toHaveLength(2);
    expect(hours[0]).toMatch(/^\d{2}:00$/);
    expect(format.times(chart, [noon, noon + 30 * 86_400])[1]).toMatch(/^30 dec\.?$/);
  });
});
