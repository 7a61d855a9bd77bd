import { DateTime } from 'luxon';
import type { AlertPeriod } from '@meetnet/contracts';
import { IndicatorAccumulator, indicatorDayOf } from '../series/noise-indicators';
import { HOUR_MS, type HourCell, type SensorHours } from './hourly-aggregates.reader';

/** Alert calendars are Brussels': the day, the night and the clock windows are local. */
export const ALERT_ZONE = 'Europe/Brussels';

export type WindowedPeriod = Exclude<AlertPeriod, { kind: 'latest' }>;

export interface AlertWindow {
  start: number;
  end: number;
}

/** A value judged against a rule: over [start, at) for a window, or a reading at `at`. */
export interface Judgement {
  start: number;
  at: number;
  value: number;
  /** Share of the window's hours that had enough data (1 for a reading). */
  coverage: number;
}

const local = (ms: number) => DateTime.fromMillis(ms, { zone: ALERT_ZONE });

/** The windows of a period that end in (after, upTo], oldest first. */
export function windowsEndingIn(period: WindowedPeriod, after: number, upTo: number): AlertWindow[] {
  const windows: AlertWindow[] = [];
  if (period.kind === 'mean' && period.align === 'rolling') {
    for (let end = Math.floor(after / HOUR_MS) * HOUR_MS + HOUR_MS; end <= upTo; end += HOUR_MS) {
      windows.push({ start: end - period.hours * HOUR_MS, end });
    }
    return windows;
  }
  // Calendar windows: walk the local days that can hold an end, from the day before `after`.
  for (
    let day = local(after).startOf('day').minus({ days: 1 });
    day.toMillis() <= upTo;
    day = day.plus({ days: 1 })
  ) {
    for (const window of calendarWindowsOf(period, day)) {
      if (window.end > after && window.end <= upTo) windows.push(window);
    }
  }
  return windows;
}

/** The windows of one local day, named by the day on which they end. */
function calendarWindowsOf(period: WindowedPeriod, day: DateTime): AlertWindow[] {
  switch (period.kind) {
    case 'mean': {
      // Wall-clock boundaries: 00, 08, 16 and the next midnight; the night window of a DST day
      // is 7 or 9 hours long, like the day itself.
      const bounds: number[] = [];
      for (let hour = 0; hour < 24; hour += period.hours) bounds.push(day.set({ hour }).toMillis());
      bounds.push(day.plus({ days: 1 }).toMillis());
      return bounds.slice(1).map((end, i) => ({ start: bounds[i]!, end }));
    }
    case 'lnight': {
      const end = day.set({ hour: 7 });
      return [{ start: end.minus({ days: 1 }).set({ hour: 23 }).toMillis(), end: end.toMillis() }];
    }
    case 'lden': {
      const end = day.set({ hour: 7 });
      return [{ start: end.minus({ days: 1 }).toMillis(), end: end.toMillis() }];
    }
    case 'exceedance_days':
      return [{ start: day.minus({ days: 1 }).toMillis(), end: day.toMillis() }];
  }
}

/** How far back a judgement at `end` reads. */
export function windowReach(period: WindowedPeriod, end: number): number {
  if (period.kind === 'exceedance_days')
    return local(end - 1)
      .startOf('year')
      .toMillis();
  if (period.kind === 'mean' && period.align === 'rolling') return end - period.hours * HOUR_MS;
  return end - 26 * HOUR_MS;
}

export interface HourCoverage {
  /** Readings a full hour holds (3600 / the sensor's declared interval); unknown: any reading fills it. */
  expectedPerHour?: number;
  /** An hour counts when this share of it has readings (the rule's minimum coverage). */
  minShare: number;
}

function hourShare(cell: HourCell | undefined, coverage: HourCoverage): number {
  if (!cell) return 0;
  return coverage.expectedPerHour ? Math.min(1, cell.count / coverage.expectedPerHour) : 1;
}

/**
 * A field over a window from its hourly means. One hour: its own mean and share. Longer: the
 * mean of the hours that count (as the EU directive builds 8-hour and daily means), and the
 * share of the window's hours that count. Undefined when no hour has data.
 */
export function windowMean(
  hours: SensorHours | undefined,
  field: string,
  window: AlertWindow,
  coverage: HourCoverage,
  energetic = false,
): { value: number; coverage: number } | undefined {
  const slots = hourSlots(window);
  if (slots.length === 1) {
    const cell = hours?.get(slots[0]!)?.[field];
    return cell && { value: cell.mean, coverage: hourShare(cell, coverage) };
  }
  const means: number[] = [];
  for (const slot of slots) {
    const cell = hours?.get(slot)?.[field];
    if (cell && hourShare(cell, coverage) >= coverage.minShare) means.push(cell.mean);
  }
  if (means.length === 0) return undefined;
  const value = energetic
    ? 10 * Math.log10(means.reduce((sum, level) => sum + 10 ** (level / 10), 0) / means.length)
    : means.reduce((sum, mean) => sum + mean, 0) / means.length;
  return { value, coverage: means.length / slots.length };
}

/** Lnight or Lden of a window from hourly energetic means, by the END's periods in local time. */
export function noiseIndicator(
  hours: SensorHours | undefined,
  field: string,
  window: AlertWindow,
  indicator: 'lnight' | 'lden',
  coverage: HourCoverage,
): { value: number; coverage: number } | undefined {
  const slots = hourSlots(window);
  const accumulator = new IndicatorAccumulator(indicator);
  let counted = 0;
  for (const slot of slots) {
    const cell = hours?.get(slot)?.[field];
    if (!cell || hourShare(cell, coverage) < coverage.minShare) continue;
    accumulator.add(indicatorDayOf(slot, ALERT_ZONE).period, cell.mean);
    counted += 1;
  }
  const value = accumulator.result();
  return value === undefined ? undefined : { value, coverage: counted / slots.length };
}

/** The local calendar days of the year up to `end` whose mean was above `dayThreshold`. */
export function exceedanceDays(
  hours: SensorHours | undefined,
  field: string,
  end: number,
  dayThreshold: number,
  coverage: HourCoverage,
): number {
  let days = 0;
  for (
    let day = local(end - 1).startOf('year');
    day.plus({ days: 1 }).toMillis() <= end;
    day = day.plus({ days: 1 })
  ) {
    const mean = windowMean(
      hours,
      field,
      { start: day.toMillis(), end: day.plus({ days: 1 }).toMillis() },
      coverage,
    );
    if (mean && mean.coverage >= coverage.minShare && mean.value > dayThreshold) days += 1;
  }
  return days;
}

function hourSlots(window: AlertWindow): number[] {
  const slots: number[] = [];
  for (let slot = window.start; slot < window.end; slot += HOUR_MS) slots.push(slot);
  return slots;
}
