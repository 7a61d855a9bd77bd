import type { Domain, MunicipalityFeature } from '@meetnet/contracts';
import { createFleet, type SimulatedSensor } from '../fleet';

/** The upstream systems a simulated device can reach Meetnet through. */
export const UPSTREAM_KINDS = ['ttn', 'chirpstack', 'sensor-community', 'telraam'] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

export interface UpstreamDevice {
  kind: UpstreamKind;
  /** Its name in the upstream system: TTN device id, ChirpStack DevEUI, airRohr station, Telraam segment. */
  upstreamId: string;
  sensor: SimulatedSensor;
  /** A Sensor.Community station also carries a BME280: its weather sensor. */
  weather?: SimulatedSensor;
}

/** Which domain each upstream kind simulates, as such devices are in the field. */
const DOMAIN_OF: Record<UpstreamKind, Domain> = {
  ttn: 'air',
  chirpstack: 'noise',
  'sensor-community': 'air',
  telraam: 'mobility',
};

/**
 * A deterministic mixed fleet, `count` devices per upstream kind, placed in the city like the
 * native fleet but with ids of their own (`ttn-…`, `cs-…`, `sc-…`, `telraam-…`).
 */
export function createUpstreamFleet(
  city: MunicipalityFeature,
  count: number,
  seed: string,
): UpstreamDevice[] {
  // Four of every domain gives each kind devices to draw from, whatever the domain shares.
  const pool = createFleet(city, count * 40, `${seed}:upstream`, 60);
  const devices: UpstreamDevice[] = [];
  UPSTREAM_KINDS.forEach((kind, k) => {
    const candidates = pool.filter((s) => s.domain === DOMAIN_OF[kind]).slice(k * count, (k + 1) * count);
    const weatherPool = pool.filter((s) => s.domain === 'weather');
    candidates.forEach((sensor, i) => {
      const n = String(i + 1).padStart(3, '0');
      const upstreamId = {
        ttn: `dl-pm-${n}`,
        chirpstack: `70b3d57ba0000${n}`,
        'sensor-community': `esp8266-${12331000 + i}`,
        telraam: String(9000100 + i),
      }[kind];
      const prefix = { ttn: 'ttn', chirpstack: 'cs', 'sensor-community': 'sc', telraam: 'telraam' }[kind];
      const own = { ...sensor, sensorId: `${prefix}-${n}` };
      const weather =
        kind === 'sensor-community' && weatherPool[i]
          ? { ...weatherPool[i], sensorId: `sc-${n}-wx`, meta: sensor.meta }
          : undefined;
      devices.push({ kind, upstreamId, sensor: own, ...(weather ? { weather } : {}) });
    });
  });
  return devices;
}
