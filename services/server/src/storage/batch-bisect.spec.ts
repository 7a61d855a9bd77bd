import { HttpError } from '@influxdata/influxdb-client';
import { writeWithBisect } from './batch-bisect';

/** A store that refuses any batch containing a poisoned line, as InfluxDB does with a type conflict. */
function fakeStore(poisoned: Set<string>) {
  const stored = new Set<string>();
  let requests = 0;
  const write = (lines: string[]) => {
    requests += 1;
    const bad = lines.find((l) => poisoned.has(l));
    if (bad) return Promise.reject(new HttpError(400, 'Bad Request', `field type conflict: ${bad}`));
    lines.forEach((l) => stored.add(l));
    return Promise.resolve();
  };
  return { write, stored, requests: () => requests };
}

describe('writeWithBisect', () => {
  it('isolates one bad line in a batch of 1,000 and stores the other 999', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line-${i}`);
    const store = fakeStore(new Set(['line-637']));
    const { rejected } = await writeWithBisect(lines, store.write);
    expect(rejected.map((r) => r.line)).toEqual(['line-637']);
    expect(rejected[0]!.error).toContain('field type conflict');
    expect(store.stored.size).toBe(999);
    // log2(1000) levels, two requests each, plus the first.
    expect(store.requests()).toBeLessThanOrEqual(1 + 2 * 10);
  });

  it('finds several bad lines', async () => {
    const lines = Array.from({ length: 64 }, (_, i) => `l${i}`);
    const store = fakeStore(new Set(['l0', 'l31', 'l63']));
    const { rejected } = await writeWithBisect(lines, store.write);
    expect(rejected.map((r) => r.line)).toEqual(['l0', 'l31', 'l63']);
    expect(store.stored.size).toBe(61);
  });

  it('lets an outage through to the caller instead of bisecting it', async () => {
    const write = jest.fn().mockRejectedValue(new HttpError(503, 'Service Unavailable'));
    await expect(writeWithBisect(['a', 'b'], write)).rejects.toThrow(HttpError);
    expect(write).toHaveBeenCalledTimes(1);
  });
});
