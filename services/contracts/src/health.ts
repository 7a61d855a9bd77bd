import type { SensorIdentity } from './live';

/**
 * What can be wrong with a sensor. "Reports but lies" (flatline, out of range, spike, drift)
 * matters as much as "silent" (offline, stale).
 */
export const PROBLEMS = [
  'offline',
  'stale',
  'flatline',
  'out_of_range',
  'spike',
  'drift',
  'low_battery',
  'weak_signal',
  'clock_skew',
  'rejects',
  'flooding',
  /** The system the sensor reaches Meetnet through (a network server, Telraam) does not answer. */
  'source_unreachable',
] as const;
export type Problem = (typeof PROBLEMS)[number];

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'string' && (PROBLEMS as readonly string[]).includes(value);
}

/** `fault`: the data cannot be trusted or does not come; `warning`: a visit is due soon. */
export type HealthStatus = 'ok' | 'warning' | 'fault';
export const HEALTH_STATUSES: readonly HealthStatus[] = ['ok', 'warning', 'fault'];

export const PROBLEM_SEVERITY: Record<Problem, Exclude<HealthStatus, 'ok'>> = {
  offline: 'fault',
  stale: 'warning',
  flatline: 'fault',
  out_of_range: 'fault',
  spike: 'warning',
  drift: 'warning',
  low_battery: 'warning',
  weak_signal: 'warning',
  clock_skew: 'warning',
  rejects: 'fault',
  flooding: 'fault',
  // No visit helps: the sensor may be fine; the system in between is not.
  source_unreachable: 'warning',
};

export interface ActiveProblem {
  problem: Problem;
  /** Epoch ms at which it was first seen. */
  since: number;
  /** For people: what was measured, such as `battery 8 %`. */
  detail: string;
}

/** One sensor as a technician sees it. */
export interface SensorHealth extends SensorIdentity {
  status: HealthStatus;
  problems: ActiveProblem[];
  /** Epoch ms the service last heard from the device (any message). */
  lastSeen?: number;
  online?: boolean;
  battery?: number;
  signalDbm?: number;
  firmware?: string;
  uptimeS?: number;
  /** The upstream source it comes through (sources file), absent for Meetnet's own devices. */
  source?: string;
}

/** An upstream source as technicians see it: whether it answers, and when it last did. */
export interface SourceHealth {
  name: string;
  reachable: boolean;
  /** Epoch ms of its latest uplink, push or answer. */
  lastAnswerAt?: number;
  sensors: number;
}

/** `GET /api/v1/health/sensors`: counts over the whole fleet, and the (filtered) sensors, worst first. */
export interface FleetHealth {
  counts: Record<HealthStatus, number>;
  sensors: SensorHealth[];
  sources: SourceHealth[];
}

/** A problem that started or ended; stored in InfluxDB and pushed live. */
export interface HealthChange {
  key: string;
  problem: Problem;
  active: boolean;
  /** Epoch ms. */
  at: number;
  detail: string;
}

export function healthStatus(problems: readonly { problem: Problem }[]): HealthStatus {
  if (problems.some((p) => PROBLEM_SEVERITY[p.problem] === 'fault')) return 'fault';
  return problems.length > 0 ? 'warning' : 'ok';
}
