import type { Problem } from '@meetnet/contracts';
import type { HealthThresholds } from './health-thresholds';
import type { RuleSubject } from './sensor-state';

export interface Finding {
  problem: Problem;
  detail: string;
}

/** A rule: pure, given a sensor, the thresholds and the time; null when all is well. */
export type HealthRule = (sensor: RuleSubject, thresholds: HealthThresholds, now: number) => Finding | null;

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const intervalMs = (s: RuleSubject, t: HealthThresholds) => (s.intervalS ?? t.defaultIntervalS) * 1000;
const primary = (s: RuleSubject, t: HealthThresholds) => t.domains[s.domain].primaryField;
const primaryValues = (s: RuleSubject, t: HealthThresholds) =>
  s.readings.map((r) => r.values[primary(s, t)]).filter((v): v is number => v !== undefined);

export const offline: HealthRule = (s, t, now) => {
  // Silent because the system in between is: one problem of the source, not one per sensor.
  if (s.sourceDown) return null;
  if (s.online === false) return { problem: 'offline', detail: 'device gone (last will)' };
  const silentFor = now - (s.lastMessageAt ?? now);
  return silentFor > t.offlineFactor * intervalMs(s, t)
    ? { problem: 'offline', detail: `silent for ${minutes(silentFor)}` }
    : null;
};

export const stale: HealthRule = (s, t, now) => {
  const last = s.readings.at(-1)?.receivedAt ?? s.lastMessageAt;
  if (last === undefined || s.online === false || s.sourceDown) return null;
  const quietFor = now - last;
  return quietFor > t.staleFactor * intervalMs(s, t)
    ? { problem: 'stale', detail: `no observation for ${minutes(quietFor)}` }
    : null;
};

export const flatline: HealthRule = (s, t) => {
  const values = primaryValues(s, t).slice(-t.flatlineReadings);
  if (values.length < t.flatlineReadings || values.some((v) => v !== values[0])) return null;
  return { problem: 'flatline', detail: `${primary(s, t)} = ${values[0]} for ${values.length} readings` };
};

export const outOfRange: HealthRule = (s, t) => {
  const latest = s.readings.at(-1);
  if (!latest) return null;
  for (const [field, [min, max]] of Object.entries(t.domains[s.domain].plausible)) {
    const value = latest.values[field];
    if (value !== undefined && (value < min || value > max)) {
      return { problem: 'out_of_range', detail: `${field} = ${value}, plausible ${min}–${max}` };
    }
  }
  return null;
};

export const spike: HealthRule = (s, t) => {
  const values = primaryValues(s, t).slice(-t.windowReadings);
  const limit = t.domains[s.domain].spikeJump;
  for (let i = values.length - 1; i > 0; i--) {
    const jump = Math.abs(values[i]! - values[i - 1]!);
    if (jump > limit) {
      return {
        problem: 'spike',
        detail: `${primary(s, t)} jumped ${Math.round(jump)} in one reading (limit ${limit})`,
      };
    }
  }
  return null;
};

/** The gap to the neighbours' median grows: compares the window's newer half with its older half. */
export const drift: HealthRule = (s, t) => {
  const window = s.deviations.slice(-t.windowReadings);
  if (window.length < t.windowReadings) return null;
  const half = Math.floor(window.length / 2);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const change = mean(window.slice(half)) - mean(window.slice(0, half));
  const limit = t.domains[s.domain].driftDelta;
  return Math.abs(change) > limit
    ? {
        problem: 'drift',
        detail: `${primary(s, t)} moved ${change.toFixed(1)} from its neighbours (limit ${limit})`,
      }
    : null;
};

export const lowBattery: HealthRule = (s, t) =>
  s.battery !== undefined && s.battery < t.lowBatteryPct
    ? { problem: 'low_battery', detail: `battery ${s.battery} %` }
    : null;

export const weakSignal: HealthRule = (s, t) =>
  s.signalDbm !== undefined && s.signalDbm < t.weakSignalDbm
    ? { problem: 'weak_signal', detail: `signal ${s.signalDbm} dBm` }
    : null;

export const clockSkew: HealthRule = (s, t) => {
  const latest = s.readings.at(-1);
  if (!latest) return null;
  const skewS = (latest.receivedAt - latest.ts) / 1000;
  return Math.abs(skewS) > t.clockSkewS
    ? {
        problem: 'clock_skew',
        detail: `clock ${skewS > 0 ? 'behind' : 'ahead'} by ${Math.round(Math.abs(skewS))} s`,
      }
    : null;
};

export const rejects: HealthRule = (s, t) => {
  const refused = s.outcomes.filter(Boolean).length;
  if (s.outcomes.length < t.rejectMinMessages) return null;
  const share = refused / s.outcomes.length;
  return share > t.rejectShare
    ? {
        problem: 'rejects',
        detail: `${Math.round(share * 100)} % of the last ${s.outcomes.length} messages refused`,
      }
    : null;
};

/** How long a device counts as flooding after its last message over budget. */
export const FLOODING_HOLD_MS = 5 * 60_000;

export const flooding: HealthRule = (s, _t, now) =>
  s.rateLimited && now - s.rateLimited.lastAt <= FLOODING_HOLD_MS
    ? {
        problem: 'flooding',
        detail: `${s.rateLimited.count} messages over its rate budget, the latest at ${new Date(s.rateLimited.lastAt).toISOString()}`,
      }
    : null;

export const sourceUnreachable: HealthRule = (s) =>
  s.sourceDown
    ? {
        problem: 'source_unreachable',
        detail: `${s.sourceDown.name} has not answered since ${new Date(s.sourceDown.since).toISOString()}`,
      }
    : null;

export const HEALTH_RULES: readonly HealthRule[] = [
  offline,
  stale,
  flatline,
  outOfRange,
  spike,
  drift,
  lowBattery,
  weakSignal,
  clockSkew,
  rejects,
  flooding,
  sourceUnreachable,
];

/** Every finding for one sensor; a silent sensor's old readings say nothing about it now. */
export function evaluate(sensor: RuleSubject, thresholds: HealthThresholds, now: number): Finding[] {
  const findings = HEALTH_RULES.map((rule) => rule(sensor, thresholds, now)).filter(
    (f): f is Finding => f !== null,
  );
  return findings.some((f) => f.problem === 'offline')
    ? findings.filter(
        (f) => f.problem === 'offline' || f.problem === 'low_battery' || f.problem === 'weak_signal',
      )
    : findings;
}
