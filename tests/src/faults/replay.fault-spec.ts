import { expectNothingLost } from './expectations';
import { runScenario } from './fault-scenario';
import { SIZES } from './sizes';

describe('a run replayed', () => {
  it('stores each observation once when the whole run is published twice', async () => {
    const outcome = await runScenario({
      name: 'replayed-twice',
      faults: 'every message published twice',
      count: SIZES.messages,
      ratePerS: SIZES.ratePerS * 2,
      rounds: 2,
    });
    expectNothingLost(outcome);
    expect(outcome.published).toBe(2 * SIZES.messages);
    expect(outcome.stored).toBe(SIZES.messages);
    expect(outcome.redelivered).toBeGreaterThanOrEqual(SIZES.messages);
  });
});
