import { type OpenReading, readingInterval } from '../open-reading';
import type { OpenReadings } from '../open-readings.service';
import type { DatastreamRef, StaEntity } from './sta-entities';
import type { StaOptions, TimeBound } from './sta-query';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Without a time filter, a Datastream's Observations are its last week. */
const DEFAULT_RANGE_MS = 7 * DAY_MS;

const iso = (ms: number) => new Date(ms).toISOString();

/** `12345-1764547200000`: the Datastream and the reading's time (InfluxDB rows have no ids). */
export function observationId(datastream: number, ts: number): string {
  return `${datastream}-${ts}`;
}

export function parseObservationId(id: string): { datastream: number; ts: number } | undefined {
  const match = /^(\d{1,16})-(\d{1,15})$/.exec(id);
  return match ? { datastream: Number(match[1]), ts: Number(match[2]) } : undefined;
}

/** A reading's value of one field as an Observation: an interval for a period's count or level. */
export function observationOf(
  datastream: number,
  field: string,
  reading: OpenReading,
): StaEntity | undefined {
  const result = reading.values[field];
  if (result === undefined) return undefined;
  const [start, end] = readingInterval(reading);
  return {
    '@iot.id': observationId(datastream, reading.ts),
    phenomenonTime: start === end ? iso(reading.ts) : `${iso(start)}/${iso(end)}`,
    resultTime: iso(reading.ts),
    result,
  };
}

export interface ObservationPage {
  items: StaEntity[];
  /** The time bound that continues after the page, when there is more. */
  next?: TimeBound;
}

/**
 * One page of a Datastream's Observations from InfluxDB. The page after it continues from the
 * last time on the page (`@iot.nextLink` narrows `$filter` rather than raising `$skip`), so a
 * reading stored while a client pages is neither skipped nor repeated, and each page reads
 * only the range still ahead of it.
 */
export async function observationPage(
  readings: OpenReadings,
  datastream: number,
  ref: DatastreamRef,
  options: Pick<StaOptions, 'from' | 'to' | 'order' | 'top' | 'skip'>,
  now = Date.now(),
): Promise<ObservationPage> {
  const toMs = options.to ? options.to.ms + (options.to.inclusive ? 1 : 0) : now + 1;
  const fromMs = options.from ? options.from.ms + (options.from.inclusive ? 0 : 1) : toMs - DEFAULT_RANGE_MS;
  if (fromMs >= toMs) return { items: [] };
  // Read only as far as the page needs: a window sized from the sensor's interval, widened
  // until it holds the page or the whole range. A day of 5 s readings is read a page at a time,
  // not in full for every page.
  const wanted = options.skip + options.top + 1;
  const asc = options.order === 'asc';
  let span = Math.max(HOUR_MS, wanted * readings.intervalMs(ref.sensor) * 2);
  let items: StaEntity[];
  for (;;) {
    const [low, high] = asc ? [fromMs, Math.min(toMs, fromMs + span)] : [Math.max(fromMs, toMs - span), toMs];
    const history = await readings.history(ref.sensor, new Date(low), new Date(high), [ref.field]);
    items = history.flatMap((reading) => observationOf(datastream, ref.field, reading) ?? []);
    if (!asc) items.reverse();
    if (items.length >= wanted || (asc ? high >= toMs : low <= fromMs)) break;
    span *= 4;
  }
  const page = items.slice(options.skip, options.skip + options.top);
  if (items.length < wanted || page.length === 0) return { items: page };
  const last = Date.parse(page.at(-1)!['resultTime'] as string);
  return { items: page, next: { ms: last, inclusive: false } };
}
