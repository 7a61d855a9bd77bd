import type { ScenarioOutcome } from './fault-scenario';

const RSS_HEADROOM_MB = 150;
const DRAIN_LIMIT_S = 60;

/** The pass criteria every fault scenario shares. */
export function expectNothingLost(outcome: ScenarioOutcome): void {
  expect({ lost: outcome.lost, duplicates: outcome.duplicates }).toEqual({ lost: 0, duplicates: 0 });
  expect(outcome.stored).toBe(outcome.distinctAcknowledged);
  expect(outcome.distinctAcknowledged).toBeGreaterThan(0);
  expect(outcome.drainS).not.toBeNull();
  expect(outcome.drainS!).toBeLessThanOrEqual(DRAIN_LIMIT_S);
  expect(outcome.peakRssMb).toBeLessThanOrEqual(outcome.baselineRssMb + RSS_HEADROOM_MB);
}
