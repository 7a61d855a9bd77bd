import { TokenBudget } from './token-budget';

describe('TokenBudget', () => {
  it('lets a burst through, then the sustained rate, per device', () => {
    const budget = new TokenBudget({ ratePerS: 2, burst: 3 });
    const allowed = (device: string, at: number) => budget.take(device, at).allowed;
    expect([0, 0, 0, 0].map(() => allowed('a', 0))).toEqual([true, true, true, false]);
    // Another device is untouched by a's flood.
    expect(allowed('b', 0)).toBe(true);
    // Two tokens a second come back.
    expect(allowed('a', 500)).toBe(true);
    expect(allowed('a', 500)).toBe(false);
    expect(allowed('a', 1500)).toBe(true);
    expect(allowed('a', 1500)).toBe(true);
    expect(allowed('a', 1500)).toBe(false);
  });

  it('never holds more than the burst, however long a device was quiet', () => {
    const budget = new TokenBudget({ ratePerS: 100, burst: 2 });
    budget.take('a', 0);
    const later = [1, 2, 3].map(() => budget.take('a', 3_600_000).allowed);
    expect(later).toEqual([true, true, false]);
  });

  it('keeps one dead letter a second for a flooding device and counts the rest', () => {
    const budget = new TokenBudget({ ratePerS: 0.001, burst: 1, letterEveryMs: 1000 });
    budget.take('a', 0);
    const decisions = [10, 20, 30, 1010, 1020].map((at) => budget.take('a', at));
    expect(decisions).toEqual([
      { allowed: false, letter: true, suppressed: 0 },
      { allowed: false, letter: false, suppressed: 0 },
      { allowed: false, letter: false, suppressed: 0 },
      { allowed: false, letter: true, suppressed: 2 },
      { allowed: false, letter: false, suppressed: 0 },
    ]);
  });

  it('stays bounded when a sender invents devices', () => {
    const budget = new TokenBudget({ ratePerS: 1, burst: 1, maxDevices: 100 });
    for (let i = 0; i < 10_000; i++) budget.take(`d-${i}`, 0);
    expect((budget as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100);
  });
});
