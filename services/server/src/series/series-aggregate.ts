import type { SeriesAggregate } from '@meetnet/contracts';

/** One window's values, in time order, folded into the requested aggregate. */
export class WindowAccumulator {
  private count = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private last = Number.NaN;
  /** Kept only for the percentile, which needs them all. */
  private readonly values: number[] = [];

  constructor(private readonly aggregate: SeriesAggregate) {}

  add(value: number): void {
    this.count += 1;
    this.sum += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    this.last = value;
    if (this.aggregate === 'p95') this.values.push(value);
  }

  /** A rollup's hour or day, folded in as if its readings came one by one (never for p95 or last). */
  addCell(cell: { count: number; sum: number; min: number; max: number }): void {
    this.count += cell.count;
    this.sum += cell.sum;
    this.min = Math.min(this.min, cell.min);
    this.max = Math.max(this.max, cell.max);
  }

  get empty(): boolean {
    return this.count === 0;
  }

  result(): number {
    switch (this.aggregate) {
      case 'mean':
        return this.sum / this.count;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'sum':
        return this.sum;
      case 'count':
        return this.count;
      case 'last':
        return this.last;
      case 'p95':
        return percentile(this.values, 0.95);
    }
  }
}

/**
 * Linear interpolation between closest ranks (Hyndman & Fan type 7: what Excel's PERCENTILE.INC,
 * R's default quantile and numpy's default give), so an analyst can check it in their own tool.
 */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const fraction = rank - lower;
  const low = sorted[lower]!;
  return fraction === 0 ? low : low + fraction * (sorted[lower + 1]! - low);
}
