import type { Domain } from '@meetnet/contracts';

/** One public sensor's reading, as every open-data format starts from it. */
export interface OpenReading {
  key: string;
  city: string;
  domain: Domain;
  sensorId: string;
  name?: string;
  /** [lon, lat], already rounded where the city asks. */
  coordinates: [number, number];
  /** Epoch ms the reading was taken, or the start of its hour for hourly layers. */
  ts: number;
  /**
   * The period the values cover, seconds. A device's reading covers the period that ends at
   * `ts`; an hourly value covers the hour that starts at `ts`.
   */
  periodS?: number;
  /** True for an hour's mean or total rather than a device's reading. */
  hourly: boolean;
  values: Partial<Record<string, number>>;
  /** The device model it describes itself with (`telraam` for Telraam counters). */
  model?: string;
}

/** [start, end] of what a reading covers, epoch ms. */
export function readingInterval(reading: OpenReading): [number, number] {
  const length = (reading.periodS ?? 0) * 1000;
  return reading.hourly ? [reading.ts, reading.ts + length] : [reading.ts - length, reading.ts];
}
