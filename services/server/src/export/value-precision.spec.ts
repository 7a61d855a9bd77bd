import { roundedBatches, roundTo } from './value-precision';

describe('value precision', () => {
  it("rounds a mean to its field's decimals, leaving no binary tail", () => {
    expect(roundTo(15.12857142857143, 1)).toBe(15.1);
    expect(String(roundTo(0.1 + 0.2, 1))).toBe('0.3');
    expect(roundTo(12.5, 0)).toBe(13);
    expect(roundTo(-3.25, 1)).toBe(-3.2);
  });

  it('rounds every point of every batch, keeping the times', async () => {
    async function* source() {
      yield await Promise.resolve([
        { t: 1, v: 1.2345 },
        { t: 2, v: 9.87 },
      ]);
    }
    const out = [];
    for await (const batch of roundedBatches(source(), 1)) out.push(batch);
    expect(out).toEqual([
      [
        { t: 1, v: 1.2 },
        { t: 2, v: 9.9 },
      ],
    ]);
  });
});
