import Ajv from 'ajv';
import { DateTime } from 'luxon';
import {
  DOMAIN_FIELDS,
  isNoiseIndicator,
  NOISE_INDICATORS,
  type NoiseIndicator,
  parseDeviceAddress,
  type SensorAddress,
  SERIES_AGGREGATES,
  SERIES_LIMITS,
  SERIES_WINDOW_NAMES,
  SERIES_ZONES,
  type SeriesAggregate,
  type SeriesWindowName,
  type SeriesZone,
} from '@meetnet/contracts';
import { schemaMessage } from '../validation/schema-problem';
import { nominalWindowMs } from './series-windows';

export interface SeriesQuery {
  sensors: SensorAddress[];
  fields: string[];
  from: Date;
  to: Date;
  window: SeriesWindowName;
  /** An aggregate per window, or a daily noise indicator (Lden and its parts). */
  aggregate: SeriesAggregate | NoiseIndicator;
  zone: SeriesZone;
}

export class SeriesQueryError extends Error {}

/** How a caller narrows the series API: the sensor chart asks for less, and picks its own window. */
export interface SeriesQueryOptions {
  /** The longest range of aggregated windows, and the most points, one request may ask for. */
  rangeDays?: number;
  points?: number;
  /** The window when the request names none, given the range in ms. */
  defaultWindow?: (rangeMs: number) => SeriesWindowName;
}

interface RawQuery {
  sensor: string[];
  field: string[];
  from?: string;
  to?: string;
  window?: SeriesWindowName;
  aggregate?: SeriesAggregate | NoiseIndicator;
  tz?: SeriesZone;
}

const SERIES_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['sensor', 'field'],
  properties: {
    sensor: {
      type: 'array',
      minItems: 1,
      maxItems: SERIES_LIMITS.sensors,
      items: { type: 'string', maxLength: 200 },
    },
    field: {
      type: 'array',
      minItems: 1,
      maxItems: SERIES_LIMITS.fields,
      items: { type: 'string', pattern: '^[a-zA-Z0-9]{1,20}$' },
    },
    from: { type: 'string', maxLength: 40 },
    to: { type: 'string', maxLength: 40 },
    window: { type: 'string', enum: [...SERIES_WINDOW_NAMES] },
    aggregate: { type: 'string', enum: [...SERIES_AGGREGATES, ...NOISE_INDICATORS] },
    tz: { type: 'string', enum: [...SERIES_ZONES] },
  },
} as const;

/** What GET /series (and /export) accept, for the OpenAPI document to list exactly these. */
export const SERIES_QUERY_PARAMETERS = Object.keys(SERIES_QUERY_SCHEMA.properties);

const validate = new Ajv({ strict: true, allErrors: false }).compile<RawQuery>(SERIES_QUERY_SCHEMA);

const list = (value: unknown) => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/**
 * Every parameter checked against an allow-list before anything reaches Flux; each refusal
 * names the parameter or the limit.
 */
export function parseSeriesQuery(
  input: Record<string, unknown>,
  now = Date.now(),
  options: SeriesQueryOptions = {},
): SeriesQuery {
  const raw = { ...input, sensor: list(input['sensor']), field: list(input['field']) };
  for (const key of Object.keys(raw))
    if (raw[key as keyof typeof raw] === undefined) delete raw[key as keyof typeof raw];
  if (!validate(raw)) throw new SeriesQueryError(schemaMessage(validate.errors?.[0], 'query'));
  const sensors = raw.sensor.map((text) => {
    const address = parseDeviceAddress(text);
    if (!address) throw new SeriesQueryError(`sensor: "${text}" is not city/domain/id`);
    return address;
  });
  for (const field of raw.field) {
    if (!sensors.some((s) => field in DOMAIN_FIELDS[s.domain])) {
      throw new SeriesQueryError(`field: "${field}" is not measured by any of the sensors`);
    }
  }
  const aggregate = raw.aggregate ?? 'mean';
  if (isNoiseIndicator(aggregate) && ((raw.window ?? '1h') !== '1d' || raw.field.some((f) => f !== 'laeq'))) {
    throw new SeriesQueryError(
      `aggregate: ${aggregate} is a daily noise indicator: use window=1d and field=laeq`,
    );
  }
  const zone = raw.tz ?? 'Europe/Brussels';
  const to = raw.to === undefined ? new Date(now) : parseTime('to', raw.to, zone);
  const from =
    raw.from === undefined ? new Date(to.getTime() - 86_400_000) : parseTime('from', raw.from, zone);
  if (from >= to) throw new SeriesQueryError('from: must be before to');
  const rangeMs = to.getTime() - from.getTime();
  const window = raw.window ?? options.defaultWindow?.(rangeMs) ?? '1h';
  const rangeDays = rangeMs / 86_400_000;
  // Calendar windows may span years: the daily rollups answer them, and the row budget still
  // refuses what would have to be read raw.
  const calendar = window === '1d' || window === '1w' || window === '1mo';
  const maxDays =
    window === 'raw'
      ? SERIES_LIMITS.rawRangeDays
      : (options.rangeDays ?? (calendar ? SERIES_LIMITS.calendarRangeDays : SERIES_LIMITS.rangeDays));
  if (rangeDays > maxDays) {
    throw new SeriesQueryError(`range: at most ${maxDays} days${window === 'raw' ? ' of raw data' : ''}`);
  }
  if (window !== 'raw') {
    const points = Math.ceil(rangeMs / nominalWindowMs(window)) * sensors.length * raw.field.length;
    const maxPoints = options.points ?? SERIES_LIMITS.points;
    if (points > maxPoints) {
      throw new SeriesQueryError(
        `points: this asks for about ${points}, at most ${maxPoints}; choose a longer window or a shorter range`,
      );
    }
  }
  return { sensors, fields: raw.field, from, to, window, aggregate, zone };
}

/** ISO 8601: a bare date is local midnight in the requested zone; a time must carry Z or an offset. */
function parseTime(name: string, text: string, zone: SeriesZone): Date {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) {
    throw new SeriesQueryError(`${name}: an ISO 8601 date, or a date and time with Z or an offset`);
  }
  const parsed = DateTime.fromISO(text, { zone });
  if (!parsed.isValid) throw new SeriesQueryError(`${name}: not a valid date`);
  return parsed.toJSDate();
}
