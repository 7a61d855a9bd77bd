import { waitFor } from '../support/wait-for';
import { expectNothingLost } from './expectations';
import { runScenario } from './fault-scenario';
import { SIZES } from './sizes';

const OUTAGE_S = 12;

describe('the spool reaches its cap', () => {
  it('stops acknowledging, raises the alarm, and loses nothing once InfluxDB is back', async () => {
    const alarms = { readyz: false, metric: false, recovered: false };
    const outcome = await runScenario({
      name: 'spool-cap',
      faults: `InfluxDB refusing for ${OUTAGE_S} s with a 256 KiB spool cap`,
      count: SIZES.messages,
      ratePerS: SIZES.ratePerS,
      serviceEnv: { SPOOL_MAX_BYTES: String(256 * 1024), SPOOL_SEGMENT_BYTES: String(64 * 1024) },
      inject: [
        {
          atS: 1,
          run: async ({ proxy }) => {
            await proxy.setMode('refuse');
            await new Promise((resolve) => setTimeout(resolve, OUTAGE_S * 1000));
            await proxy.setMode('pass');
          },
        },
      ],
      during: async (context) => {
        await waitFor(
          'the spool-full alarm on /readyz',
          async () => {
            const response = await fetch(`${context.service.url}/readyz`);
            const body = (await response.json()) as { checks?: { spoolHasRoom?: boolean } };
            return (response.status === 503 && body.checks?.spoolHasRoom === false) || undefined;
          },
          OUTAGE_S * 1000,
        );
        alarms.readyz = true;
        alarms.metric = (await context.service.metric('meetnet_spool_full')) === 1;
        await waitFor(
          'the alarm to clear',
          async () => (await fetch(`${context.service.url}/readyz`)).ok || undefined,
          60_000,
        );
        alarms.recovered = true;
      },
    });
    expect(alarms).toEqual({ readyz: true, metric: true, recovered: true });
    expectNothingLost(outcome);
  });
});
