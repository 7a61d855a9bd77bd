import type { SeriesPoint } from '../series/series.service';

/** A value to so many decimals, as a number a CSV writes without a tail of binary noise. */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** A series' batches with every value rounded to its decimals. */
export async function* roundedBatches(
  batches: AsyncIterable<SeriesPoint[]>,
  decimals: number,
): AsyncGenerator<SeriesPoint[]> {
  for await (const batch of batches) yield batch.map((p) => ({ t: p.t, v: roundTo(p.v, decimals) }));
}
