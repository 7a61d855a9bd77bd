import { isBadData } from './write-retry';

export interface BisectResult {
  /** Lines refused on their own by the store, with its reason. */
  rejected: Array<{ line: string; error: string }>;
}

/**
 * Writes a batch; when the store refuses it as bad data, splits it in halves until the bad
 * lines stand alone, so one bad line costs itself and not its 999 neighbours. Any other error
 * (outage, overload) propagates: the caller retries the whole batch, and re-writing the halves
 * already stored is harmless because writes are idempotent.
 */
export async function writeWithBisect(
  lines: string[],
  write: (lines: string[]) => Promise<void>,
): Promise<BisectResult> {
  try {
    await write(lines);
    return { rejected: [] };
  } catch (error) {
    if (!isBadData(error)) throw error;
    if (lines.length === 1) return { rejected: [{ line: lines[0]!, error: (error as Error).message }] };
    const middle = Math.ceil(lines.length / 2);
    const first = await writeWithBisect(lines.slice(0, middle), write);
    const second = await writeWithBisect(lines.slice(middle), write);
    return { rejected: [...first.rejected, ...second.rejected] };
  }
}
