import { runScenario } from './fault-scenario';
import { influxUrl } from '../support/test-stack';
import { expectNothingLost } from './expectations';
import { sensorOf, topicOf } from './numbered-publisher';

const BAD_SEQ = 637;

describe('InfluxDB refuses one line of a batch', () => {
  it('stores the other 999 of 1,000 and dead-letters the one', async () => {
    let base = 0;
    const outcome = await runScenario({
      name: 'one-bad-line-in-1000',
      faults: 'one float humidity where the shard has it as a string (HTTP 400)',
      count: 1000,
      ratePerS: 5000,
      serviceEnv: { INFLUX_FLUSH_INTERVAL_MS: '1000' },
      before: async ({ bucket }) => {
        // Make `humidity` a string field in this shard, so a float humidity conflicts (HTTP 400).
        base = Date.now() - 3_600_000;
        const [db] = bucket.split('/');
        const response = await fetch(`${influxUrl()}/write?db=${db}&precision=ms`, {
          method: 'POST',
          body: `air,city=faultville,sensor_id=other humidity="wet" ${base - 60_000}`,
        });
        expect(response.status).toBe(204);
      },
      poison: (seq) =>
        seq === BAD_SEQ
          ? {
              topic: topicOf(seq),
              payload: JSON.stringify({ ts: Date.now() - 3_600_000 + seq, pm25: 1, humidity: 55 }),
            }
          : undefined,
    });
    expect(base).toBeGreaterThan(0);
    expectNothingLost(outcome);
    expect(outcome.stored).toBe(999);
    expect(outcome.rejected['storage_rejected']).toBe(1);
    expect(outcome.deadLetters).toBe(1);
    expect(sensorOf(BAD_SEQ)).toBe('f-37');
  });
});
