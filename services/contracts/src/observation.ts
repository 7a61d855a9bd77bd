import type { ObservationField } from './domains';
import type { SensorAddress } from './topics';

/**
 * An observation after validation and normalisation: what storage writes, what the live
 * fan-out sends. Identity comes from the topic, never from the payload.
 */
export interface Observation extends SensorAddress {
  /** Epoch milliseconds, the device's own time: a redelivery overwrites instead of duplicating. */
  ts: number;
  /** Length of the counting or averaging period, seconds (noise, mobility). */
  periodS?: number;
  values: Partial<Record<ObservationField, number>>;
}
