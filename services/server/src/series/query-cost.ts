import { BadRequestException } from '@nestjs/common';
import { SeriesQueryError } from './series-query';

/** A query the API refuses is the client's to fix: a 400 with the reason. */
export function asBadRequest(error: unknown): never {
  if (error instanceof SeriesQueryError) throw new BadRequestException(error.message);
  throw error;
}

/**
 * A request read more raw rows than one request may. A 400 when nothing was sent yet; a
 * streamed answer ends early and says so.
 */
export class RowLimitReached extends BadRequestException {
  constructor(readonly limit: number) {
    super(`rows: this query read more than ${limit} raw rows, the most one request may`);
  }
}

/**
 * Counts the raw rows InfluxDB has sent for one request. The estimate before a query trusts
 * each sensor's declared interval; this catches a sensor that reports faster than it says.
 */
export class RowBudget {
  private read = 0;

  constructor(readonly limit: number) {}

  get rowsRead(): number {
    return this.read;
  }

  take(rows: number): void {
    this.read += rows;
    if (this.read > this.limit) throw new RowLimitReached(this.limit);
  }
}

/** Raw rows a query will make InfluxDB read: per series, its range over the sensor's interval. */
export function estimatedRows(
  seriesKeys: readonly string[],
  from: Date,
  to: Date,
  intervalSOf: (key: string) => number,
): number {
  const rangeS = (to.getTime() - from.getTime()) / 1000;
  return seriesKeys.reduce((sum, key) => sum + Math.ceil(rangeS / intervalSOf(key)), 0);
}
