import { expectNothingLost } from './expectations';
import { runScenario } from './fault-scenario';
import { SIZES } from './sizes';

describe('Mosquitto restarts', () => {
  it('loses nothing the broker acknowledged when it is restarted (SIGTERM) mid-run', async () => {
    const outcome = await runScenario({
      name: 'broker-restart',
      faults: 'Mosquitto SIGTERM and restart on the same port and data',
      count: SIZES.messages,
      ratePerS: SIZES.ratePerS,
      inject: [{ atS: SIZES.messages / SIZES.ratePerS / 2, run: (context) => context.restartBroker() }],
    });
    expectNothingLost(outcome);
    expect(outcome.brokerRestarts).toBe(1);
  });
});
