import { judge, type Track, type Transition } from './episode-tracker';

const H = 3_600_000;
const windowAt = (hour: number, value: number, coverage = 1) => ({
  start: (hour - 8) * H,
  at: hour * H,
  value,
  coverage,
});

function run(track: Track, limits: Parameters<typeof judge>[1], judgements: Parameters<typeof judge>[2][]) {
  return judgements.map((j) => judge(track, limits, j)).filter((t): t is Transition => t !== undefined);
}

describe('episode tracker', () => {
  const o3 = { threshold: 100, clearBelow: 90, minDurationS: 0, minCoverage: 0.75 };

  it('opens above the threshold, stays open in the hysteresis band and closes at or below clearBelow', () => {
    const track: Track = {};
    const transitions = run(track, o3, [
      windowAt(10, 95),
      windowAt(11, 101),
      windowAt(12, 95),
      windowAt(13, 120),
      windowAt(14, 90),
    ]);
    expect(transitions.map((t) => t.type)).toEqual(['opened', 'peaked', 'closed']);
    const closed = transitions[2] as Extract<Transition, { type: 'closed' }>;
    expect(closed.episode).toMatchObject({ start: 3 * H, peak: 120, peakAt: 13 * H });
    expect(closed.end).toBe(13 * H);
  });

  it('does not judge a window too thinly covered, in either direction', () => {
    const track: Track = {};
    expect(run(track, o3, [windowAt(10, 150, 0.5)])).toEqual([]);
    expect(run(track, o3, [windowAt(11, 150, 0.875)]).map((t) => t.type)).toEqual(['opened']);
    expect(run(track, o3, [windowAt(12, 10, 0.5)])).toEqual([]);
    expect(track.open).toBeDefined();
  });

  it('opens only after the minimum duration above, counted from the first reading above', () => {
    const track: Track = {};
    const limits = { threshold: 0.5, minDurationS: 1800, minCoverage: 0 };
    const reading = (minute: number, value: number) => ({
      start: minute * 60_000,
      at: minute * 60_000,
      value,
      coverage: 1,
    });
    expect(
      run(track, limits, [reading(0, 1), reading(20, 1), reading(25, 0), reading(30, 1), reading(50, 1)]),
    ).toEqual([]);
    const [opened] = run(track, limits, [reading(60, 1)]);
    expect(opened).toMatchObject({ type: 'opened', episode: { start: 30 * 60_000 } });
    const [closed] = run(track, limits, [reading(70, 0)]);
    expect(closed).toMatchObject({ type: 'closed', end: 70 * 60_000 });
  });

  it('never re-opens a closed episode with late data for a time before it closed', () => {
    const track: Track = {};
    run(track, o3, [windowAt(10, 120), windowAt(11, 80)]);
    expect(run(track, o3, [windowAt(9, 150), windowAt(11, 150)])).toEqual([]);
    expect(track.open).toBeUndefined();
    expect(run(track, o3, [windowAt(12, 150)]).map((t) => t.type)).toEqual(['opened']);
  });
});
