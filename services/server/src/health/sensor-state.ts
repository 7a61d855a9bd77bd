import type { Problem, SensorIdentity } from '@meetnet/contracts';

export interface Reading {
  /** Epoch ms the service received it. */
  receivedAt: number;
  /** Epoch ms the device says it measured. */
  ts: number;
  values: Partial<Record<string, number>>;
}

/** Everything the health rules look at for one sensor, kept small and bounded. */
export interface SensorState extends SensorIdentity {
  firmware?: string;
  intervalS?: number;
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
