import { percentile, WindowAccumulator } from './series-aggregate';

describe('window aggregates', () => {
  const fold = (aggregate: ConstructorParameters<typeof WindowAccumulator>[0], values: number[]) => {
    const accumulator = new WindowAccumulator(aggregate);
    values.forEach((v) => accumulator.add(v));
    return accumulator.result();
  };
  const values = [10, 40, 20, 30];

  it.each([
    ['mean', 25],
    ['min', 10],
    ['max', 40],
    ['sum', 100],
    ['count', 4],
    ['last', 30],
    // Sorted 10 20 30 40: rank 0.95 × 3 = 2.85, so 30 + 0.85 × (40 − 30).
    ['p95', 38.5],
  ] as const)('%s of 10, 40, 20, 30 is %d', (aggregate, expected) => {
    expect(fold(aggregate, values)).toBeCloseTo(expected, 10);
  });

  it('takes the 95th percentile as Excel’s PERCENTILE.INC does', () => {
    expect(
      percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21], 0.95),
    ).toBe(20);
    expect(percentile([7], 0.95)).toBe(7);
  });
});
