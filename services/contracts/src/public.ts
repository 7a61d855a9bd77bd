import type { BelaqiResult } from './belaqi';
import type { Domain } from './domains';

/**
 * What the public map (no sign-in) shows of one sensor: its place and its measurements, as
 * the city chose to publish them, and nothing about the device (battery, signal, rejects,
 * source, credentials). Public routes are built from these types and nothing else.
 */
export interface PublicSensorProperties {
  key: string;
  city: string;
  domain: Domain;
  sensorId: string;
  name?: string;
  /**
   * `latest`: the sensor's newest reading. `hour`: the mean (counts: the total) of the last
   * complete clock hour, which is also what BelAQI's current index is defined on.
   */
  basis: 'latest' | 'hour';
  /** Epoch ms: the reading's time, or the start of the hour; unset when there is none. */
  ts?: number;
  /** The period the values cover, for counts and levels. */
  periodS?: number;
  values: Partial<Record<string, number>>;
  /** True where the city rounds the sensor's position (e.g. a resident's window). */
  positionRounded: boolean;
  /** Air only: the index over the pollutants this station measures. */
  belaqi?: BelaqiResult;
}

export interface PublicSensorFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: PublicSensorProperties;
}

export interface PublicSensorCollection {
  type: 'FeatureCollection';
  /** Epoch ms the collection was built (the service caches it for a minute). */
  generatedAt: number;
  /** The layers the city publishes, in the map's order. */
  layers: Domain[];
  features: PublicSensorFeature[];
}

/** One sensor's last seven days, as hourly means of one field. */
export interface PublicWeekAnswer {
  field: string;
  unit: string;
  points: Array<{ t: number; v: number }>;
}
