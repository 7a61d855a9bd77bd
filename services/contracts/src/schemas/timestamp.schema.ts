/**
 * `ts` is ISO 8601 with an explicit offset (`2026-11-28T14:05:00+01:00`, `...Z`) or epoch
 * milliseconds. Epoch seconds are refused (minimum 10^12 ms is September 2001): a device that
 * sends seconds would otherwise land in January 1970.
 */
export type Timestamp = string | number;

export const MIN_EPOCH_MS = 1_000_000_000_000;

export const TIMESTAMP_SCHEMA = {
  anyOf: [
    { type: 'string', format: 'date-time' },
    { type: 'integer', minimum: MIN_EPOCH_MS },
  ],
} as const;

/** Epoch ms of a timestamp that already passed the schema. */
export function timestampToEpochMs(ts: Timestamp): number {
  return typeof ts === 'number' ? ts : Date.parse(ts);
}
