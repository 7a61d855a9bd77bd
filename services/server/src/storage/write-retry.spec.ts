import { HttpError } from '@influxdata/influxdb-client';
import { isBadData, retryAfterMs, retryDelayMs } from './write-retry';

const httpError = (status: number, headers: Record<string, string> = {}) =>
  new HttpError(status, 'x', '', headers['retry-after'], 'text/plain', undefined, headers);

describe('write retry policy', () => {
  it('reads Retry-After as seconds, not milliseconds', () => {
    expect(retryAfterMs(httpError(429, { 'retry-after': '3' }))).toBe(3000);
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterMs(httpError(503, { 'retry-after': 'Sat, 28 Nov 2026 12:00:10 GMT' }), now)).toBe(
      10_000,
    );
  });

  it('waits what the server asked for', () => {
    expect(retryDelayMs(httpError(503, { 'retry-after': '2' }), 7)).toBe(2000);
  });

  it('backs off exponentially with jitter up to 30 s otherwise', () => {
    const error = new Error('ECONNREFUSED');
    expect(retryDelayMs(error, 1, () => 0)).toBe(125);
    expect(retryDelayMs(error, 1, () => 1)).toBe(250);
    expect(retryDelayMs(error, 3, () => 1)).toBe(1000);
    expect(retryDelayMs(error, 30, () => 1)).toBe(30_000);
    expect(retryDelayMs(error, 30, () => 0)).toBe(15_000);
  });

  it('treats 400 and 422 as bad data and everything else as worth retrying', () => {
    expect(isBadData(httpError(400))).toBe(true);
    expect(isBadData(httpError(422))).toBe(true);
    expect(isBadData(httpError(404))).toBe(false);
    expect(isBadData(httpError(503))).toBe(false);
    expect(isBadData(new Error('socket hang up'))).toBe(false);
  });
});
