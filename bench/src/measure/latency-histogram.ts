/** Latencies in 1 ms buckets up to a minute: constant memory for millions of samples. */
export class LatencyHistogram {
  readonly buckets: number[];
  count = 0;

  constructor(private readonly maxMs = 60_000) {
    this.buckets = new Array<number>(maxMs + 1).fill(0);
  }

  add(ms: number, times = 1): void {
    const bucket = Math.min(this.maxMs, Math.max(0, Math.round(ms)));
    this.buckets[bucket]! += times;
    this.count += times;
  }

  merge(buckets: readonly number[]): void {
    buckets.forEach((n, ms) => n > 0 && this.add(ms, n));
  }

  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms]!;
      if (seen >= rank) return ms;
    }
    return this.maxMs;
  }

  /** Only the non-empty buckets, for sending between processes. */
  sparse(): [number, number][] {
    return this.buckets.flatMap((n, ms) => (n > 0 ? [[ms, n] as [number, number]] : []));
  }
}
