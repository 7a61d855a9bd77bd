import type { Problem, SensorIdentity } from '@meetnet/contracts';

export interface Reading {
  /** Epoch ms the service received it. */
  receivedAt: number;
  /** Epoch ms the device says it measured. */
  ts: number;
  values: Partial<Record<string, number>>;
}

/**
 * What health keeps of one sensor, small and bounded: only what it observes itself. Name,
 * place and declared interval are the registry's (the sensor's `meta`).
 */
export interface SensorState extends Pick<SensorIdentity, 'key' | 'city' | 'domain' | 'sensorId'> {
  online?: boolean;
  battery?: number;
  signalDbm?: number;
  uptimeS?: number;
  lastMessageAt?: number;
  /** Newest last. */
  readings: Reading[];
  /** The primary field minus its neighbours' median, one per reading, newest last. */
  deviations: number[];
  /** Outcomes of the latest messages (true: refused), newest last. */
  outcomes: boolean[];
  /** Messages refused over the device's rate budget, and when the latest was. */
  rateLimited?: { count: number; lastAt: number };
  /** Readings already turned into deviations. */
  lastEvaluatedTs?: number;
  active: Map<Problem, { since: number; detail: string }>;
}

export function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/** What a rule looks at: health's own state, the interval the sensor declared, its source's state. */
export interface RuleSubject extends SensorState {
  intervalS?: number;
  /** Set for a sensor behind an upstream source that does not answer now. */
  sourceDown?: { name: string; since: number };
}
