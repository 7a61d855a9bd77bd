import { DateTime } from 'luxon';
import type { NoiseIndicator, SeriesZone } from '@meetnet/contracts';

type Period = 'day' | 'evening' | 'night';

/**
 * The directive's 24 hours run from 07:00 local: day 07–19, evening 19–23, night 23–07 (into
 * the next date). A reading belongs to the indicator day that starts at the last 07:00.
 */
export function indicatorDayOf(ms: number, zone: SeriesZone): { start: number; period: Period } {
  const local = DateTime.fromMillis(ms, { zone });
  const base = local.hour < 7 ? local.minus({ days: 1 }) : local;
  const start = base.set({ hour: 7, minute: 0, second: 0, millisecond: 0 }).toMillis();
  const period: Period =
    local.hour >= 7 && local.hour < 19 ? 'day' : local.hour >= 19 && local.hour < 23 ? 'evening' : 'night';
  return { start, period };
}

/** Energetic averaging: the level of the mean sound energy, not the mean of the levels. */
export class IndicatorAccumulator {
  private readonly energy: Record<Period, { sum: number; count: number }> = {
    day: { sum: 0, count: 0 },
    evening: { sum: 0, count: 0 },
    night: { sum: 0, count: 0 },
  };

  constructor(private readonly indicator: NoiseIndicator) {}

  add(period: Period, levelDb: number): void {
    this.energy[period].sum += 10 ** (levelDb / 10);
    this.energy[period].count += 1;
  }

  /** A rollup's hour: its readings' summed energy, and how many there were. */
  addEnergy(period: Period, energy: number, count: number): void {
    this.energy[period].sum += energy;
    this.energy[period].count += count;
  }

  /** Undefined when a period the indicator needs has no reading. */
  result(): number | undefined {
    const level = (period: Period) => {
      const { sum, count } = this.energy[period];
      return count === 0 ? undefined : 10 * Math.log10(sum / count);
    };
    switch (this.indicator) {
      case 'lday':
        return level('day');
      case 'levening':
        return level('evening');
      case 'lnight':
        return level('night');
      case 'lden': {
        const [day, evening, night] = [level('day'), level('evening'), level('night')];
        if (day === undefined || evening === undefined || night === undefined) return undefined;
        // Fixed weights, also on the 23- and 25-hour days: 12 h, 4 h (+5 dB), 8 h (+10 dB).
        return (
          10 *
          Math.log10(
            (12 * 10 ** (day / 10) + 4 * 10 ** ((evening + 5) / 10) + 8 * 10 ** ((night + 10) / 10)) / 24,
          )
        );
      }
    }
  }
}
