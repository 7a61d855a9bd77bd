import type { MunicipalityFeature } from '@contracts/geo/municipalities';
import type { PublicSensorCollection, PublicWeekAnswer } from '@contracts/public';
import { getJson } from './http';

/** The public map's sensors: what the city publishes, no sign-in needed. */
export function fetchPublicSensors(signal?: AbortSignal): Promise<PublicSensorCollection> {
  return getJson<PublicSensorCollection>('/api/v1/public/sensors', signal);
}

/** One public sensor's last seven days, hourly. */
export function fetchPublicWeek(key: string, field: string, signal?: AbortSignal): Promise<PublicWeekAnswer> {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return getJson<PublicWeekAnswer>(
    `/api/v1/public/sensors/${path}/week?field=${encodeURIComponent(field)}`,
    signal,
  );
}

/** The outline of the one municipality a map shows (all of Flanders is 666 kB). */
export function fetchOutline(city: string, signal?: AbortSignal): Promise<MunicipalityFeature> {
  return getJson<MunicipalityFeature>(`/api/v1/public/outlines/${encodeURIComponent(city)}`, signal);
}
