import Ajv from 'ajv';
import { DOMAIN_FIELDS, type Domain } from '@meetnet/contracts';
import { SeriesQueryError } from '../series/series-query';

/** Aggregation windows a chart may ask for. */
export const SERIES_WINDOWS = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
} as const;
export type SeriesWindow = keyof typeof SERIES_WINDOWS;
export const MAX_SERIES_RANGE_MS = 31 * 86_400_000;
export const MAX_SERIES_POINTS = 5000;

export interface SeriesQueryInput {
  field?: string;
  from?: string;
  to?: string;
  every?: string;
}

export interface SeriesQuery {
  field: string;
  from: Date;
  to: Date;
  every: SeriesWindow;
}

const ajv = new Ajv({ allErrors: false, strict: true });
const CHART_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    field: { type: 'string', pattern: '^[a-zA-Z0-9]{1,20}$' },
    from: { type: 'string', minLength: 1, maxLength: 40 },
    to: { type: 'string', minLength: 1, maxLength: 40 },
    every: { type: 'string', enum: Object.keys(SERIES_WINDOWS) },
  },
} as const;

/** What a sensor's chart series accepts. */
export const CHART_QUERY_PARAMETERS = Object.keys(CHART_QUERY_SCHEMA.properties);

const validate = ajv.compile<SeriesQueryInput>(CHART_QUERY_SCHEMA);

/** The smallest window that keeps a chart under ~300 points. */
function defaultWindow(rangeMs: number): SeriesWindow {
  const fits = (Object.entries(SERIES_WINDOWS) as Array<[SeriesWindow, number]>).find(
    ([, ms]) => rangeMs / ms <= 300,
  );
  return fits?.[0] ?? '1d';
}

/** Validates a series request for a sensor of `domain`; throws a SeriesQueryError naming the problem. */
export function parseSeriesQuery(domain: Domain, input: SeriesQueryInput, now = Date.now()): SeriesQuery {
  if (!validate(input)) {
    const error = validate.errors?.[0];
    const name = error?.instancePath.slice(1) || String(error?.params['additionalProperty'] ?? 'query');
    throw new SeriesQueryError(`${name}: ${error?.message ?? 'invalid'}`);
  }
  const fields = Object.keys(DOMAIN_FIELDS[domain]);
  const field = input.field ?? fields[0]!;
  if (!fields.includes(field))
    throw new SeriesQueryError(`field: must be one of ${fields.join(', ')} for ${domain}`);
  const to = input.to ? new Date(input.to) : new Date(now);
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 86_400_000);
  if (Number.isNaN(from.getTime())) throw new SeriesQueryError('from: must be an ISO 8601 date');
  if (Number.isNaN(to.getTime())) throw new SeriesQueryError('to: must be an ISO 8601 date');
  const range = to.getTime() - from.getTime();
  if (range <= 0) throw new SeriesQueryError('from: must be before to');
  if (range > MAX_SERIES_RANGE_MS)
    throw new SeriesQueryError('range: at most 31 days (use the export for more)');
  const every = (input.every as SeriesWindow | undefined) ?? defaultWindow(range);
  if (range / SERIES_WINDOWS[every] > MAX_SERIES_POINTS) {
    throw new SeriesQueryError(`every: ${every} over this range gives more than ${MAX_SERIES_POINTS} points`);
  }
  return { field, from, to, every };
}
