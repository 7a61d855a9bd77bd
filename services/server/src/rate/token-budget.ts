export interface RateBudgetOptions {
  /** Sustained messages per second a sender may send. */
  ratePerS: number;
  /** Messages a sender may send at once after a quiet spell. */
  burst: number;
  /** Past this many senders, the longest-known ones are forgotten (they start with a full budget). */
  maxDevices?: number;
  /** A refused sender gets at most one dead letter (or log line) this often; the rest are only counted. */
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
 * A token bucket per sender (a device, a live socket), so one flooding device or client is
 * refused on its own while everyone else flows. Written here rather than taken from a
 * rate-limit library: it runs synchronously for every MQTT message, before decoding, and the
 * libraries at hand answer with promises.
 */
export class TokenBudget {
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

  /** The sender is gone (a closed socket): its bucket goes too. */
  forget(sender: string): void {
    this.buckets.delete(sender);
  }

  private forgetOldest(): void {
    let drop = Math.ceil(this.maxDevices / 10);
    for (const key of this.buckets.keys()) {
      this.buckets.delete(key);
      if (--drop === 0) return;
    }
  }
}
