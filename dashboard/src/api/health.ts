import type { FleetHealth, HealthChange, SensorHealth } from '@contracts/health';
import type { DeadLetter } from '@contracts/reject-reasons';

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return (await response.json()) as T;
}

export function fetchFleetHealth(signal?: AbortSignal): Promise<FleetHealth> {
  return getJson('/api/v1/health/sensors', signal);
}

export function fetchSensorHealth(
  key: string,
  signal?: AbortSignal,
): Promise<{ sensor: SensorHealth; history: HealthChange[] }> {
  return getJson(`/api/v1/health/sensors/${key}`, signal);
}

/** The sensor's refused messages of the last 30 days, newest first. */
export async function fetchSensorRejects(key: string, signal?: AbortSignal): Promise<DeadLetter[]> {
  return (await getJson<{ rejects: DeadLetter[] }>(`/api/v1/health/sensors/${key}/rejects`, signal)).rejects;
}
