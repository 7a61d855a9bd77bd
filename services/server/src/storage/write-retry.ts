import { HttpError } from '@influxdata/influxdb-client';

const MAX_DELAY_MS = 30_000;
const MAX_RETRY_AFTER_MS = 300_000;

/** HTTP 400/422: the data is at fault, not the server; retrying the same batch cannot help. */
export function isBadData(error: unknown): boolean {
  return error instanceof HttpError && (error.statusCode === 400 || error.statusCode === 422);
}

/**
 * `Retry-After` in seconds or as an HTTP date (RFC 9110 §10.2.3). The client library reads the
 * seconds as milliseconds, so we parse the header ourselves.
 */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!(error instanceof HttpError)) return undefined;
  const header = error.headers?.['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * How long to wait before attempt `attempt + 1`: what the server asked for, else exponential
 * backoff from 250 ms to 30 s with jitter, so many instances do not retry in step. There is no
 * give-up: the spool holds the data until InfluxDB takes it.
 */
export function retryDelayMs(error: unknown, attempt: number, random: () => number = Math.random): number {
  const asked = retryAfterMs(error);
  if (asked !== undefined) return Math.min(asked, MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(MAX_DELAY_MS, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
