import Ajv from 'ajv';
import { chartFieldOf, DOMAIN_FIELDS, type SensorAddress, sensorKey } from '@meetnet/contracts';
import { parseSeriesQuery, type SeriesQuery, SeriesQueryError } from '../series/series-query';
import { schemaMessage } from '../validation/schema-problem';

/** Aggregation windows a sensor's chart may ask for. */
export const CHART_WINDOWS = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
} as const;
export type ChartWindow = keyof typeof CHART_WINDOWS;

/** A chart is one sensor's month at most; the series API and the export go further. */
const CHART_LIMITS = { rangeDays: 31, points: 5000 };
/** A chart reads well up to about this many points. */
const CHART_POINTS = 300;

export interface ChartQueryInput {
  field?: string;
  from?: string;
  to?: string;
  every?: string;
}

const CHART_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    field: { type: 'string', pattern: '^[a-zA-Z0-9]{1,20}$' },
    from: { type: 'string', minLength: 1, maxLength: 40 },
    to: { type: 'string', minLength: 1, maxLength: 40 },
    every: { type: 'string', enum: Object.keys(CHART_WINDOWS) },
  },
} as const;

/** What a sensor's chart series accepts. */
export const CHART_QUERY_PARAMETERS = Object.keys(CHART_QUERY_SCHEMA.properties);

const validate = new Ajv({ strict: true }).compile<ChartQueryInput>(CHART_QUERY_SCHEMA);

/** The smallest window that keeps a chart under CHART_POINTS points. */
function chartWindow(rangeMs: number): ChartWindow {
  const fits = (Object.entries(CHART_WINDOWS) as Array<[ChartWindow, number]>).find(
    ([, ms]) => rangeMs / ms <= CHART_POINTS,
  );
  return fits?.[0] ?? '1d';
}

/**
 * A chart's request in its own words (one sensor; `every` for the window), checked by the one
 * series parser with the chart's limits: means in UTC windows.
 */
export function parseChartQuery(
  sensor: SensorAddress,
  input: ChartQueryInput,
  now = Date.now(),
): SeriesQuery {
  if (!validate(input)) throw new SeriesQueryError(schemaMessage(validate.errors?.[0], 'query'));
  const fields = Object.keys(DOMAIN_FIELDS[sensor.domain]);
  const field = input.field ?? chartFieldOf(sensor.domain);
  if (!fields.includes(field)) {
    throw new SeriesQueryError(`field: must be one of ${fields.join(', ')} for ${sensor.domain}`);
  }
  return parseSeriesQuery(
    { sensor: sensorKey(sensor), field, from: input.from, to: input.to, window: input.every, tz: 'UTC' },
    now,
    { ...CHART_LIMITS, defaultWindow: chartWindow },
  );
}
