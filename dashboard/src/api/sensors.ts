import type { Domain } from '@contracts/domains';
import type { SensorCollection } from '@contracts/live';
import type { SensorChartAnswer } from '@contracts/series';
import { getJson } from './http';

export type ChartPoint = SensorChartAnswer['points'][number];

/** A sensor to pick from (the Explore view), with the name a person knows it by. */
export interface SensorChoice {
  key: string;
  name: string;
  domain: Domain;
}

/** Every located sensor the service knows. */
export async function fetchSensorChoices(signal?: AbortSignal): Promise<SensorChoice[]> {
  const { features } = await getJson<SensorCollection>('/api/v1/sensors', signal);
  return features.map((f) => ({
    key: f.id,
    name: f.properties.name ?? f.properties.sensorId,
    domain: f.properties.domain,
  }));
}

/** One field of one sensor over the last 24 hours, in windows the service picks for a chart. */
export async function fetchSensorChart(
  sensor: { city: string; domain: Domain; sensorId: string },
  field: string,
  signal?: AbortSignal,
): Promise<ChartPoint[]> {
  const url = `/api/v1/sensors/${sensor.city}/${sensor.domain}/${sensor.sensorId}/series?field=${encodeURIComponent(field)}`;
  return (await getJson<SensorChartAnswer>(url, signal)).points;
}
