import { expectNothingLost } from './expectations';
import { runScenario } from './fault-scenario';
import { topicOf } from './numbered-publisher';
import { SIZES } from './sizes';

const POISONS = [
  (seq: number) => ({ topic: topicOf(seq), payload: '{"ts": broken' }),
  (seq: number) => ({ topic: topicOf(seq), payload: JSON.stringify({ ts: Date.now(), pm25: -5 }) }),
  (seq: number) => ({
    topic: topicOf(seq),
    payload: JSON.stringify({ ts: Date.now(), pm25: 3, colour: 'red' }),
  }),
  (seq: number) => ({ topic: `meetnet/faultville/water/w-${seq}/obs`, payload: '{}' }),
  (seq: number) => ({
    topic: topicOf(seq),
    payload: JSON.stringify({ ts: Date.now() + 86_400_000, pm25: 3 }),
  }),
];

describe('poison messages mixed into the stream', () => {
  it('counts and dead-letters every one of 10 % poison messages once, and stores the rest', async () => {
    const outcome = await runScenario({
      name: 'poison-10pct',
      faults: 'every 10th message malformed, out of range, unknown field, bad topic or future',
      count: SIZES.messages,
      ratePerS: SIZES.ratePerS,
      poison: (seq) => (seq % 10 === 3 ? POISONS[((seq / 10) % POISONS.length) | 0]!(seq) : undefined),
    });
    expectNothingLost(outcome);
    expect(outcome.poisonSent).toBe(SIZES.messages / 10);
    expect(outcome.poisonCounted).toBe(outcome.poisonSent);
    expect(outcome.deadLetters).toBe(outcome.poisonSent);
    expect(outcome.rejected).toMatchObject({
      malformed_json: SIZES.messages / 50,
      out_of_range: SIZES.messages / 50,
      unknown_field: SIZES.messages / 50,
      bad_topic: SIZES.messages / 50,
      future_timestamp: SIZES.messages / 50,
    });
  });
});
