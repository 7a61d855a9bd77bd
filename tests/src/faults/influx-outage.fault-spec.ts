import type { ProxyMode } from '../support/fault-proxy';
import { expectNothingLost } from './expectations';
import { runScenario } from './fault-scenario';
import { SIZES } from './sizes';

const WAYS: Array<[string, ProxyMode]> = [
  ['refuses connections', 'refuse'],
  ['answers 503 with Retry-After', 'http503'],
  ['answers 429 with Retry-After', 'http429'],
  ['accepts and hangs', 'hang'],
];

describe('InfluxDB is unavailable', () => {
  it.each(WAYS)(`loses nothing when InfluxDB ${SIZES.outageS} s long %s`, async (_how, mode) => {
    const startS = 2;
    const outcome = await runScenario({
      name: `influx-${mode}`,
      faults: `InfluxDB ${mode} for ${SIZES.outageS} s`,
      // Keep publishing through the whole outage and a little after.
      count: (SIZES.outageS + startS + 2) * SIZES.ratePerS,
      ratePerS: SIZES.ratePerS,
      inject: [
        {
          atS: startS,
          run: async ({ proxy }) => {
            await proxy.setMode(mode);
            await new Promise((resolve) => setTimeout(resolve, SIZES.outageS * 1000));
            await proxy.setMode('pass');
          },
        },
      ],
    });
    expectNothingLost(outcome);
  });
});
