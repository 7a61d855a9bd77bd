export interface RateBudgetOptions {
  /** Sustained messages per second a device may send. */
  ratePerS: number;
  /** Messages a device may send at once after a quiet spell. */
  burst: number;
  /** Past this many devices, the longest-known ones are forgotten (they start with a full budget). */
  maxDevices?: number;
  /** A refused device gets at most one dead letter this often; the rest are only counted. */
  letterEveryMs?: number;
}

export type BudgetDecision =
  | { allowed: true }
  /** `letter`: this refusal is the one to keep as a dead letter, with how many went unkept before it. */
  | { allowed: false; letter: boolean; suppressed: number };

interface Bucket {
  tokens: number;
  at: number;
  unlettered: number;
  letterAt: number;
}

/**
 * A token bucket per device, so one flooding device (a firmware bug, a stolen credential) is
 * refused on its own while every other device's messages flow. Written here rather than taken
 * from a rate-limit library: it runs synchronously for every message, before decoding, and
 * the libraries at hand answer with promises.
 */
export class DeviceRateBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxDevices: number;
  private readonly letterEveryMs: number;

  constructor(private readonly options: RateBudgetOptions) {
    this.maxDevices = options.maxDevices ?? 100_000;
    this.letterEveryMs = options.letterEveryMs ?? 1000;
  }

  take(device: string, now: number): BudgetDecision {
    let bucket = this.buckets.get(device);
    if (!bucket) {
      if (this.buckets.size >= this.maxDevices) this.forgetOldest();
      bucket = { tokens: this.options.burst, at: now, unlettered: 0, letterAt: -Infinity };
      this.buckets.set(device, bucket);
    }
    const elapsedS = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsedS * this.options.ratePerS);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    if (now - bucket.letterAt < this.letterEveryMs) {
      bucket.unlettered += 1;
      return { allowed: false, letter: false, suppressed: 0 };
    }
    const suppressed = bucket.unlettered;
    bucket.unlettered = 0;
    bucket.letterAt = now;
    return { allowed: false, letter: true, suppressed };
  }

  private forgetOldest(): void {
    let drop = Math.ceil(this.maxDevices / 10);
    for (const key of this.buckets.keys()) {
      this.buckets.delete(key);
      if (--drop === 0) return;
    }
  }
}
