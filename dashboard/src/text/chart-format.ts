import type uPlot from 'uplot';

/**
 * uPlot's own labels are English (month names, a dot for decimals); these give a chart the
 * page's language: nl-BE decimal commas in the legend and on the value axis, and times as
 * people here read them on the time axis.
 */
export function localeChartFormat(locale: string, decimals = 1) {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const value = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : number.format(v));
  const values = (_u: uPlot, ticks: number[]) => ticks.map((v) => number.format(v));
  const times = (_u: uPlot, ticks: number[]) => {
    const spanS = (ticks.at(-1) ?? 0) - (ticks[0] ?? 0);
    return ticks.map((t) => (spanS > 2 * 86_400 ? day : time).format(new Date(t * 1000)));
  };
  const stamp = (_u: uPlot, t: number | null) =>
    t === null ? '–' : new Date(t * 1000).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
  return { value, values, times, stamp };
}
