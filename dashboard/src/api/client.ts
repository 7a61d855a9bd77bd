import type { Domain } from '@contracts/domains';
import { toSignIn } from '../router';
import { useSessionStore } from '../stores/session';

export interface SeriesPoint {
  t: number;
  v: number;
}

/** The one place the dashboard talks REST to the service. */
export async function fetchSeries(
  sensor: { city: string; domain: Domain; sensorId: string },
  field: string,
  signal?: AbortSignal,
): Promise<SeriesPoint[]> {
  const url = `/api/v1/sensors/${sensor.city}/${sensor.domain}/${sensor.sensorId}/series?field=${encodeURIComponent(field)}`;
  const response = await fetch(url, { signal });
  if (response.status === 401) {
    useSessionStore().end('expired');
    toSignIn();
  }
  if (!response.ok)
    throw new Error(
      `${response.status}: ${(await response.json().catch(() => ({}))).message ?? response.statusText}`,
    );
  return ((await response.json()) as { points: SeriesPoint[] }).points;
}
