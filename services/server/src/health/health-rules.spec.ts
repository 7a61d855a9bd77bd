import type { Domain } from '@meetnet/contracts';
import {
  clockSkew,
  drift,
  evaluate,
  flatline,
  flooding,
  FLOODING_HOLD_MS,
  lowBattery,
  offline,
  outOfRange,
  rejects,
  spike,
  stale,
  weakSignal,
} from './health-rules';
import { DEFAULT_DOMAIN_THRESHOLDS, type HealthThresholds } from './health-thresholds';
import type { Reading, RuleSubject } from './sensor-state';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const T: HealthThresholds = {
  offlineFactor: 5,
  staleFactor: 3,
  flatlineReadings: 4,
  windowReadings: 6,
  lowBatteryPct: 15,
  weakSignalDbm: -110,
  clockSkewS: 120,
  rejectShare: 0.2,
  rejectMinMessages: 5,
  defaultIntervalS: 60,
  domains: DEFAULT_DOMAIN_THRESHOLDS,
};

/** A sensor that reported `no2` every 60 s up to now, with these values (oldest first). */
function airSensor(no2: number[], overrides: Partial<RuleSubject> = {}, domain: Domain = 'air'): RuleSubject {
  const readings: Reading[] = no2.map((value, i) => {
    const at = NOW - (no2.length - 1 - i) * 60_000;
    return { receivedAt: at, ts: at, values: { no2: value } };
  });
  return {
    key: `leuven/${domain}/x`,
    city: 'leuven',
    domain,
    sensorId: 'x',
    intervalS: 60,
    online: true,
    lastMessageAt: readings.at(-1)?.receivedAt,
    readings,
    deviations: [],
    outcomes: [],
    active: new Map(),
    ...overrides,
  };
}

const healthy = () => airSensor([20, 22.5, 19.8, 24.1, 21, 23.3]);

describe('health rules', () => {
  it('finds nothing wrong with a healthy sensor', () => {
    expect(evaluate(healthy(), T, NOW)).toEqual([]);
  });

  it("blames a silent sensor's source, once, when the source itself does not answer", () => {
    const silent = airSensor([20, 21], { lastMessageAt: NOW - 3_600_000 });
    expect(evaluate(silent, T, NOW).map((f) => f.problem)).toEqual(['offline']);
    const behindDownSource = { ...silent, sourceDown: { name: 'ttn-leuven', since: NOW - 600_000 } };
    expect(evaluate(behindDownSource, T, NOW)).toEqual([
      {
        problem: 'source_unreachable',
        detail: `ttn-leuven has not answered since ${new Date(NOW - 600_000).toISOString()}`,
      },
    ]);
  });

  it('offline: from the last will at once, or after five silent intervals', () => {
    expect(offline(airSensor([20], { online: false }), T, NOW)).toMatchObject({
      detail: 'device gone (last will)',
    });
    const sensor = healthy();
    expect(offline(sensor, T, NOW + 5 * 60_000)).toBeNull();
    expect(offline(sensor, T, NOW + 5 * 60_000 + 1)).toMatchObject({
      problem: 'offline',
      detail: 'silent for 5 min',
    });
  });

  it('stale: talking (status) but no observation for three intervals', () => {
    const sensor = healthy();
    sensor.lastMessageAt = NOW + 10 * 60_000;
    expect(stale(sensor, T, NOW + 3 * 60_000)).toBeNull();
    expect(stale(sensor, T, NOW + 4 * 60_000)).toMatchObject({
      problem: 'stale',
      detail: 'no observation for 4 min',
    });
  });

  it('flatline: the same primary value for K readings in a row', () => {
    expect(flatline(airSensor([20, 31, 31, 31]), T, NOW)).toBeNull();
    expect(flatline(airSensor([20, 31, 31, 31, 31]), T, NOW)).toMatchObject({
      detail: 'no2 = 31 for 4 readings',
    });
  });

  it('out of range: possible for the schema, implausible for the place', () => {
    expect(outOfRange(airSensor([399]), T, NOW)).toBeNull();
    expect(outOfRange(airSensor([450]), T, NOW)).toMatchObject({ detail: 'no2 = 450, plausible 0–400' });
  });

  it('spike: a jump within the window, gone once it leaves the window', () => {
    expect(spike(airSensor([20, 85, 22]), T, NOW)).toMatchObject({ problem: 'spike' });
    expect(spike(airSensor([20, 70, 22]), T, NOW)).toBeNull();
    expect(spike(airSensor([20, 85, 22, 21, 23, 22, 21, 20]), T, NOW)).toBeNull();
  });

  it('drift: the gap to the neighbours grows by more than the limit over the window', () => {
    expect(drift(airSensor([20], { deviations: [1, -1, 2, 0, 1, -2] }), T, NOW)).toBeNull();
    expect(drift(airSensor([20], { deviations: [0, 2, 4, 20, 24, 28] }), T, NOW)).toMatchObject({
      problem: 'drift',
      detail: 'no2 moved 22.0 from its neighbours (limit 15)',
    });
    expect(drift(airSensor([20], { deviations: [0, 30, 60] }), T, NOW)).toBeNull(); // too few yet
  });

  it('battery and signal below their limits', () => {
    expect(lowBattery(airSensor([20], { battery: 15 }), T, NOW)).toBeNull();
    expect(lowBattery(airSensor([20], { battery: 8 }), T, NOW)).toMatchObject({ detail: 'battery 8 %' });
    expect(weakSignal(airSensor([20], { signalDbm: -100 }), T, NOW)).toBeNull();
    expect(weakSignal(airSensor([20], { signalDbm: -118 }), T, NOW)).toMatchObject({
      detail: 'signal -118 dBm',
    });
  });

  it('clock skew: payload time far from receive time, either way', () => {
    const behind = healthy();
    behind.readings.at(-1)!.ts -= 20 * 60_000;
    expect(clockSkew(behind, T, NOW)).toMatchObject({ detail: 'clock behind by 1200 s' });
    const close = healthy();
    close.readings.at(-1)!.ts -= 60_000;
    expect(clockSkew(close, T, NOW)).toBeNull();
  });

  it('rejects: a high share of refused messages, once there are enough of them', () => {
    expect(rejects(airSensor([20], { outcomes: [true, true, false, false] }), T, NOW)).toBeNull();
    expect(rejects(airSensor([20], { outcomes: [true, false, false, false, false] }), T, NOW)).toBeNull();
    expect(rejects(airSensor([20], { outcomes: [true, true, false, false, false] }), T, NOW)).toMatchObject({
      detail: '40 % of the last 5 messages refused',
    });
  });

  it('flooding: a device refused over its rate budget, until it has been quiet a while', () => {
    const flooded = airSensor([20], { rateLimited: { count: 950, lastAt: NOW - 1000 } });
    expect(flooding(flooded, T, NOW)).toMatchObject({
      problem: 'flooding',
      detail: expect.stringMatching(/^950 messages/) as unknown,
    });
    expect(flooding(flooded, T, NOW + FLOODING_HOLD_MS + 1000)).toBeNull();
    expect(flooding(airSensor([20]), T, NOW)).toBeNull();
  });

  it('reports an offline sensor as offline only, not as stale or flat', () => {
    const gone = airSensor([31, 31, 31, 31], { online: false, battery: 5 });
    expect(evaluate(gone, T, NOW + 3_600_000).map((f) => f.problem)).toEqual(['offline', 'low_battery']);
  });
});
