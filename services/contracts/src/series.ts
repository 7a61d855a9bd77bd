/**
 * The series and export API's vocabulary, shared by the service (which enforces it) and the
 * dashboard's Explore view (which offers it).
 */
export const SERIES_WINDOW_NAMES = ['raw', '1m', '5m', '15m', '1h', '1d', '1w', '1mo'] as const;
export type SeriesWindowName = (typeof SERIES_WINDOW_NAMES)[number];
export type AggregatedWindow = Exclude<SeriesWindowName, 'raw'>;

export const SERIES_ZONES = ['Europe/Brussels', 'UTC'] as const;
export type SeriesZone = (typeof SERIES_ZONES)[number];

export const SERIES_AGGREGATES = ['mean', 'min', 'max', 'sum', 'count', 'last', 'p95'] as const;
export type SeriesAggregate = (typeof SERIES_AGGREGATES)[number];

/** EU Environmental Noise Directive (2002/49/EC, annex I) indicators, per day, of LAeq. */
export const NOISE_INDICATORS = ['lden', 'lday', 'levening', 'lnight'] as const;
export type NoiseIndicator = (typeof NOISE_INDICATORS)[number];

export function isNoiseIndicator(value: string): value is NoiseIndicator {
  return (NOISE_INDICATORS as readonly string[]).includes(value);
}

export const SERIES_LIMITS = {
  sensors: 20,
  fields: 10,
  rangeDays: 366,
  /** Calendar windows (1d, 1w, 1mo) of what the daily rollups answer: ten years. */
  calendarRangeDays: 3660,
  rawRangeDays: 31,
  points: 500_000,
} as const;

/**
 * Where an answer was read from, coarsest first: the daily rollups (Brussels days), the
 * hourly ones, or the raw readings. The series API picks the cheapest that answers exactly.
 */
export const SERIES_TIERS = ['daily', 'hourly', 'raw'] as const;
export type SeriesTier = (typeof SERIES_TIERS)[number];

export const EXPORT_FORMATS = ['csv', 'ndjson', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /api/v1/series`'s answer. */
export interface SeriesAnswer {
  /** The range and windows as the service understood them, ISO 8601 with the zone's offset. */
  from: string;
  to: string;
  window: string;
  aggregate: string;
  tz: SeriesZone;
  /** The tiers the answer was read from, coarsest first. */
  tiers: SeriesTier[];
  series: SeriesOut[];
  /** Set when the request read as many raw rows as one may: the series stop there. */
  truncated?: string;
}

/** One series in `GET /api/v1/series`'s answer. */
export interface SeriesOut {
  /** `city/domain/id` */
  sensor: string;
  field: string;
  unit: string;
  /** `t`: the window's start (or the reading's time, raw), ISO 8601 with the zone's offset. */
  points: Array<{ t: string; v: number }>;
}

/** `GET /api/v1/sensors/{city}/{domain}/{id}/series`'s answer: one sensor's chart. */
export interface SensorChartAnswer {
  field: string;
  /** The window the service chose or was asked for, such as `5m`. */
  every: string;
  /** `t`: the window's start, epoch ms (UTC windows). */
  points: Array<{ t: number; v: number }>;
}

/**
 * `GET /api/v1/playback`'s answer: one Brussels day of a layer, hour by hour, for the map to
 * replay. Counts are the hour's totals (so `periodS` is 3600), levels and other quantities the
 * hour's mean (energetic for dB).
 */
export interface PlaybackAnswer {
  /** The local day, `2026-12-01`. */
  date: string;
  /** Each hour's start, ISO 8601 with the Brussels offset: 23, 24 or 25 of them. */
  hours: string[];
  tiers: SeriesTier[];
  layers: Array<{
    domain: string;
    /** The order of each frame's values. */
    fields: string[];
    sensors: Array<{
      key: string;
      lat: number;
      lon: number;
      /** Per hour: the fields' values (null: none that hour), or null for an hour without any. */
      frames: Array<Array<number | null> | null>;
    }>;
  }>;
}

/** At most this many sensors in one playback answer: a larger fleet asks for its view (`bbox`). */
export const PLAYBACK_MAX_SENSORS = 20_000;
