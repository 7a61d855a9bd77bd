import { findMunicipality } from '@meetnet/contracts';
import { assignFaults, FAULT_KINDS, FAULT_SCENARIOS, FaultyBehaviour, parseFaultSpec } from './faults';
import { createFleet } from './fleet';

const fleet = createFleet(findMunicipality('Leuven')!, 40, 'meetnet', 1);

describe('fault injection', () => {
  it('gives the same devices the same faults for the same seed, one fault each', () => {
    const spec = parseFaultSpec(FAULT_SCENARIOS['health-ci']!);
    const a = assignFaults(fleet, spec, 'meetnet');
    expect(assignFaults(fleet, spec, 'meetnet')).toEqual(a);
    expect(assignFaults(fleet, spec, 'other')).not.toEqual(a);
    expect(a.size).toBe(16);
    const kinds = [...a.values()];
    for (const kind of FAULT_KINDS) expect(kinds.filter((k) => k === kind)).toHaveLength(2);
  });

  it('puts value faults only on devices whose reading varies (air, noise)', () => {
    const assigned = assignFaults(fleet, parseFaultSpec('stuck:5,drift:5,spikes:5'), 'x');
    expect([...assigned.keys()].every((key) => !key.includes('/mobility/'))).toBe(true);
  });

  it('gives a small fleet fewer faults for a share, but refuses a count it cannot meet', () => {
    const small = fleet.slice(0, 5);
    expect(assignFaults(small, parseFaultSpec(FAULT_SCENARIOS['health-demo']!), 'x').size).toBe(0);
    expect(() => assignFaults(small, parseFaultSpec('low_battery:6'), 'x')).toThrow(
      'low_battery: wanted 6 devices, only 5 left to give it to',
    );
  });

  it('reads counts and shares, and names a bad part', () => {
    expect(parseFaultSpec('stuck:3,drift:5%')).toEqual([
      { kind: 'stuck', count: 3 },
      { kind: 'drift', share: 0.05 },
    ]);
    expect(() => parseFaultSpec('melted:3')).toThrow(/"melted:3": expected kind:count/);
  });

  it('stuck repeats the first faulty reading; drift walks away; spikes jump; skew shifts the clock', () => {
    const air = fleet.find((s) => s.domain === 'air')!;
    const reading = (ts: number, no2: number) => ({ ts, no2, pm25: 5 });
    const stuck = new FaultyBehaviour('stuck', air);
    expect([stuck.observation(reading(1, 20)), stuck.observation(reading(2, 30))]).toEqual([
      reading(1, 20),
      reading(2, 20),
    ]);
    const drift = new FaultyBehaviour('drift', air);
    expect([1, 2, 3].map((ts) => (drift.observation(reading(ts, 20)) as { no2: number }).no2)).toEqual([
      23, 26, 29,
    ]);
    const spikes = new FaultyBehaviour('spikes', air);
    const spiked = [1, 2, 3, 4, 5, 6].map(
      (ts) => (spikes.observation(reading(ts, 20)) as { no2: number }).no2,
    );
    expect(spiked).toEqual([20, 20, 20, 20, 20, 170]);
    expect(new FaultyBehaviour('clock_skew', air).observation(reading(1_200_000, 20))).toMatchObject({
      ts: 0,
    });
    const malformed = new FaultyBehaviour('malformed', air);
    expect(typeof malformed.observation(reading(1, 20))).toBe('object');
    expect(() => JSON.parse(malformed.observation(reading(2, 20)) as string) as unknown).toThrow();
  });
});
