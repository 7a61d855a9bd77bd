import { DateTime } from 'luxon';
import type { AggregatedWindow, SeriesZone } from '@meetnet/contracts';

const FIXED_MS: Partial<Record<AggregatedWindow, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
};
const CALENDAR_UNIT = { '1d': 'day', '1w': 'week', '1mo': 'month' } as const;

/** Nominal length, for estimating how many points a request asks for. */
export function nominalWindowMs(window: AggregatedWindow): number {
  return (
    FIXED_MS[window] ?? { '1d': 86_400_000, '1w': 7 * 86_400_000, '1mo': 30 * 86_400_000 }[window as '1d']
  );
}

/**
 * The window that holds `ms`: [start, end) in epoch ms. Calendar windows start at local
 * midnight (Monday for weeks, the 1st for months) in the zone, so a Brussels day is 23 or 25
 * hours long on the days the clocks change. Fixed windows are aligned to the epoch, which in
 * Brussels (whole-hour offsets) is also aligned to the local hour.
 */
export function windowOf(
  ms: number,
  window: AggregatedWindow,
  zone: SeriesZone,
): { start: number; end: number } {
  const fixed = FIXED_MS[window];
  if (fixed) {
    const start = Math.floor(ms / fixed) * fixed;
    return { start, end: start + fixed };
  }
  // Brussels offsets are whole hours, so every instant of one UTC hour lies in the same local
  // day, week and month: one date computation per hour (luxon's take microseconds, and a year
  // of a fleet is millions of raw rows or thousands of rollup cells).
  const cache = calendarCache[window as keyof typeof CALENDAR_UNIT][zone];
  const hour = Math.floor(ms / 3_600_000);
  let found = cache.get(hour);
  if (found === undefined) {
    const unit = CALENDAR_UNIT[window as keyof typeof CALENDAR_UNIT];
    const start = DateTime.fromMillis(ms, { zone }).startOf(unit, { useLocaleWeeks: false });
    found = { start: start.toMillis(), end: start.plus({ [`${unit}s`]: 1 }).toMillis() };
    if (cache.size > 100_000) cache.clear();
    cache.set(hour, found);
  }
  return found;
}

const calendarCache = Object.fromEntries(
  Object.keys(CALENDAR_UNIT).map((window) => [window, { 'Europe/Brussels': new Map(), UTC: new Map() }]),
) as Record<keyof typeof CALENDAR_UNIT, Record<SeriesZone, Map<number, { start: number; end: number }>>>;

const HOUR_MS = 3_600_000;
interface HourFormat {
  /** `2026-03-29T03:` in the zone's local time. */
  prefix: string;
  /** `+02:00`, or `Z` in UTC. */
  suffix: string;
}

const hourCache: Record<SeriesZone, Map<number, HourFormat>> = {
  'Europe/Brussels': new Map(),
  UTC: new Map(),
};

/** How one UTC hour reads in the zone: offsets only change on the hour (in Brussels, and in UTC never). */
function hourFormat(hour: number, zone: SeriesZone): HourFormat {
  const cache = hourCache[zone];
  let format = cache.get(hour);
  if (format === undefined) {
    const minutes = zone === 'UTC' ? 0 : DateTime.fromMillis(hour * HOUR_MS, { zone }).offset;
    const abs = Math.abs(minutes);
    const suffix =
      zone === 'UTC'
        ? 'Z'
        : `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    format = { prefix: new Date(hour * HOUR_MS + minutes * 60_000).toISOString().slice(0, 14), suffix };
    if (cache.size > 100_000) cache.clear();
    cache.set(hour, format);
  }
  return format;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * ISO 8601 with the zone's offset, as analysts' tools read it: 2026-03-29T00:00:00.000+01:00
 * (UTC as Z). Called once per exported row: the hour's text is made once, the rest is
 * arithmetic (a Date and toISOString per row cost more than everything else in an export).
 */
export function isoInZone(ms: number, zone: SeriesZone): string {
  const hour = Math.floor(ms / HOUR_MS);
  const { prefix, suffix } = hourFormat(hour, zone);
  const rest = ms - hour * HOUR_MS;
  const minutes = Math.floor(rest / 60_000);
  const seconds = Math.floor((rest % 60_000) / 1000);
  return `${prefix}${pad2(minutes)}:${pad2(seconds)}.${pad3(rest % 1000)}${suffix}`;
}
