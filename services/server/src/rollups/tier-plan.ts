import { DateTime } from 'luxon';
import {
  type AggregatedWindow,
  isNoiseIndicator,
  type NoiseIndicator,
  type SeriesAggregate,
  type SeriesTier,
  type SeriesWindowName,
  type SeriesZone,
} from '@meetnet/contracts';

export const HOUR_MS = 3_600_000;
/** Daily rollups are cut on the Brussels calendar, whatever zone a query asks for. */
export const ROLLUP_ZONE = 'Europe/Brussels';

/** A stretch of a query's range and the tier it is read from. */
export interface TierSegment {
  tier: SeriesTier;
  /** [start, end) in epoch ms. */
  start: number;
  end: number;
}

/** What the rollups hold now. */
export interface RollupCoverage {
  /** The first hour rolled up (a Brussels midnight); before it, only raw data. */
  from: number;
  /** Every hour in [from, hourlyThrough) is rolled up. */
  hourlyThrough: number;
  /** Every Brussels day in [from, dailyThrough) is rolled up. */
  dailyThrough: number;
  /** Hours whose raw data changed after they were rolled up, until they are rolled up again. */
  lateHours: ReadonlySet<number>;
}

/**
 * The coarsest tier that answers a query exactly. A rollup keeps each hour's (or Brussels
 * day's) count, sum, min, max and, for levels, energy sum, so any window made of whole hours
 * (days) can be folded from it: means, sums, counts, extremes and the noise indicators (whose
 * day, evening and night are whole local hours). A percentile or a window's last value needs
 * every reading; windows under an hour need raw times.
 */
export function coarsestTier(
  window: SeriesWindowName,
  aggregate: SeriesAggregate | NoiseIndicator,
  zone: SeriesZone,
): SeriesTier {
  if (aggregate === 'p95' || aggregate === 'last') return 'raw';
  if (isNoiseIndicator(aggregate)) return 'hourly';
  const calendar: readonly AggregatedWindow[] = ['1d', '1w', '1mo'];
  if (calendar.includes(window as AggregatedWindow)) return zone === ROLLUP_ZONE ? 'daily' : 'hourly';
  return window === '1h' ? 'hourly' : 'raw';
}

/** The Brussels day that holds `ms`, [start, end): 23 or 25 hours on the days the clocks change. */
export function brusselsDay(ms: number): { start: number; end: number } {
  const start = DateTime.fromMillis(ms, { zone: ROLLUP_ZONE }).startOf('day');
  return { start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
}

interface TierUnit {
  tier: SeriesTier;
  /** The unit that holds `ms`. */
  unitOf: (ms: number) => { start: number; end: number };
  through: (coverage: RollupCoverage) => number;
  /** Units that late data changed. */
  holes: (coverage: RollupCoverage) => number[];
}

const hourOf = (ms: number) => {
  const start = Math.floor(ms / HOUR_MS) * HOUR_MS;
  return { start, end: start + HOUR_MS };
};

const UNITS: readonly TierUnit[] = [
  {
    tier: 'daily',
    unitOf: brusselsDay,
    through: (c) => c.dailyThrough,
    holes: (c) => [...new Set([...c.lateHours].map((hour) => brusselsDay(hour).start))],
  },
  { tier: 'hourly', unitOf: hourOf, through: (c) => c.hourlyThrough, holes: (c) => [...c.lateHours] },
];

/**
 * Which tier each stretch of [from, to) is read from, in time order: the coarsest allowed tier
 * over the whole units it holds, finer tiers at the ragged ends, where the rollups have not
 * reached yet, and over units late data changed; raw data for the rest.
 */
export function planTiers(
  from: number,
  to: number,
  coarsest: SeriesTier,
  coverage: RollupCoverage | undefined,
): TierSegment[] {
  const first = UNITS.findIndex((unit) => unit.tier === coarsest);
  const segments: TierSegment[] = [];
  const push = (tier: SeriesTier, start: number, end: number) => {
    if (start >= end) return;
    const last = segments.at(-1);
    if (last?.tier === tier && last.end === start) last.end = end;
    else segments.push({ tier, start, end });
  };
  const plan = (start: number, end: number, level: number): void => {
    if (start >= end) return;
    const unit = UNITS[level];
    if (!coverage || level < 0 || !unit) return push('raw', start, end);
    const lower = Math.max(start, coverage.from);
    const head = unit.unitOf(lower);
    const alignedStart = head.start === lower ? lower : head.end;
    const alignedEnd = Math.min(unit.unitOf(end).start, unit.through(coverage));
    if (alignedStart >= alignedEnd) return plan(start, end, level + 1);
    plan(start, alignedStart, level + 1);
    const holes = unit
      .holes(coverage)
      .filter((hole) => hole >= alignedStart && hole < alignedEnd)
      .sort((a, b) => a - b);
    let cursor = alignedStart;
    for (const hole of holes) {
      push(unit.tier, cursor, hole);
      const holeEnd = unit.unitOf(hole).end;
      plan(hole, holeEnd, level + 1);
      cursor = holeEnd;
    }
    push(unit.tier, cursor, alignedEnd);
    plan(alignedEnd, end, level + 1);
  };
  plan(from, to, coarsest === 'raw' ? -1 : first);
  return segments;
}
