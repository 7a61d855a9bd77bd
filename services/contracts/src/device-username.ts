import { isDomain } from './domains';
import { CITY_PATTERN, SENSOR_ID_PATTERN, type SensorAddress } from './topics';

/**
 * A device's MQTT username is its address joined with dots: `leuven.air.AQ-0001`. Mosquitto
 * refuses `/` in names used for ACL substitution, and city slugs and domains hold no dots, so
 * the first two dots split it back unambiguously.
 */
export function deviceUsername(address: SensorAddress): string {
  return `${address.city}.${address.domain}.${address.sensorId}`;
}

export function parseDeviceUsername(username: string): SensorAddress | null {
  const first = username.indexOf('.');
  const second = username.indexOf('.', first + 1);
  if (first < 0 || second < 0) return null;
  const city = username.slice(0, first);
  const domain = username.slice(first + 1, second);
  const sensorId = username.slice(second + 1);
  if (!CITY_PATTERN.test(city) || !isDomain(domain) || !SENSOR_ID_PATTERN.test(sensorId)) return null;
  return { city, domain, sensorId };
}

/** `leuven/air/AQ-0001`, as operators type it and as the simulators list their fleet. */
export function parseDeviceAddress(text: string): SensorAddress | null {
  const parts = text.trim().split('/');
  if (parts.length !== 3) return null;
  const [city, domain, sensorId] = parts as [string, string, string];
  if (!CITY_PATTERN.test(city) || !isDomain(domain) || !SENSOR_ID_PATTERN.test(sensorId)) return null;
  return { city, domain, sensorId };
}
