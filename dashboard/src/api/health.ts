import type { FleetHealth, HealthChange, SensorHealth } from '@contracts/health';
import type { DeadLetter } from '@contracts/reject-reasons';
import { getJson } from './http';

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
