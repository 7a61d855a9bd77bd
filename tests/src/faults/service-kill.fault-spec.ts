import { expectNothingLost } from './expectations';
import { runScenario } from './fault-scenario';
import { SIZES } from './sizes';

describe('the service is killed mid-run', () => {
  it(`loses nothing when SIGKILLed ${SIZES.kills} times during ${SIZES.messages} QoS 1 messages`, async () => {
    const runS = SIZES.messages / SIZES.ratePerS;
    const outcome = await runScenario({
      name: 'service-sigkill',
      faults: `SIGKILL ×${SIZES.kills}, restarted at once`,
      count: SIZES.messages,
      ratePerS: SIZES.ratePerS,
      inject: Array.from({ length: SIZES.kills }, (_, i) => ({
        atS: ((i + 1) * runS) / (SIZES.kills + 1),
        run: (context) => context.killAndRestartService(),
      })),
    });
    expectNothingLost(outcome);
    expect(outcome.serviceRestarts).toBe(SIZES.kills);
  });
});
