import type { AlertEvent } from './alerts';
import type { HealthChange } from './health';
import { type Domain, DOMAINS } from './domains';

/** socket.io namespace of the live fan-out. */
export const LIVE_NAMESPACE = '/live';
/**
 * The server sends batches at most this often, one update per sensor per batch. 100 ms keeps
 * publish → browser under 200 ms at p99 (at 250 ms it was 284 ms, bench/results.md) at the
 * same bytes: few sensors report twice within either.
 */
export const LIVE_TICK_MS = 100;

/** Which sensor, and where: what every view of a sensor starts from. */
export interface SensorIdentity {
  /** `{city}/{domain}/{sensorId}` */
  key: string;
  city: string;
  domain: Domain;
  sensorId: string;
  name?: string;
  lat?: number;
  lon?: number;
}

/** The latest state of one sensor, as the map needs it. */
export interface SensorLatest extends SensorIdentity {
  /** Epoch ms of the latest observation. */
  ts?: number;
  periodS?: number;
  values: Partial<Record<string, number>>;
  /** Epoch ms the service last heard from the sensor. */
  lastSeen?: number;
}

export interface LiveSubscription {
  layers: Domain[];
  /** [west, south, east, north] in degrees; omitted for the whole city. */
  bbox?: [number, number, number, number];
}

/** The answer to `subscribe`. */
export interface LiveSubscribeReply {
  ok: boolean;
  error?: string;
  /** Set when only the pace was wrong (too many subscriptions): send the latest again after this. */
  retryInMs?: number;
}

/** Client → server. */
export interface LiveClientEvents {
  subscribe: (subscription: LiveSubscription, ack?: (reply: LiveSubscribeReply) => void) => void;
}

/** Server → client. */
export interface LiveServerEvents {
  /** Every matching sensor's latest state, after each (re)subscription. */
  snapshot: (sensors: SensorLatest[]) => void;
  /** Only the sensors that changed since the last tick. */
  batch: (sensors: SensorLatest[]) => void;
  /** The session ended (expiry or logout); the server disconnects right after. */
  session_ended: (reason: 'expired' | 'logout') => void;
  /** Health problems that started or ended (only to technicians and admins). */
  health: (changes: HealthChange[]) => void;
  /** An alert episode opened, closed or was acknowledged (to the rule's roles and admins). */
  alert: (event: AlertEvent) => void;
}

/** The socket.io `connect_error` message when the handshake carries no valid session. */
export const LIVE_UNAUTHORIZED = 'unauthorized';
/** The handshake's refusal when one session already holds the most sockets it may. */
export const LIVE_TOO_MANY_SOCKETS = 'too_many_sockets';

export function sensorKey(address: { city: string; domain: Domain; sensorId: string }): string {
  return `${address.city}/${address.domain}/${address.sensorId}`;
}

/** The one payload a client may send; anything else is refused. */
export const LIVE_SUBSCRIPTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['layers'],
  properties: {
    layers: {
      type: 'array',
      maxItems: DOMAINS.length,
      uniqueItems: true,
      items: { type: 'string', enum: [...DOMAINS] },
    },
    bbox: {
      type: 'array',
      minItems: 4,
      maxItems: 4,
      items: [
        { type: 'number', minimum: -180, maximum: 180 },
        { type: 'number', minimum: -90, maximum: 90 },
        { type: 'number', minimum: -180, maximum: 180 },
        { type: 'number', minimum: -90, maximum: 90 },
      ],
    },
  },
} as const;

export function inBbox(sensor: SensorLatest, bbox: LiveSubscription['bbox']): boolean {
  if (!bbox) return true;
  if (sensor.lat === undefined || sensor.lon === undefined) return false;
  const [west, south, east, north] = bbox;
  return sensor.lon >= west && sensor.lon <= east && sensor.lat >= south && sensor.lat <= north;
}

/** One located sensor in `GET /api/v1/sensors` (GeoJSON, longitude first). */
export interface SensorFeature {
  type: 'Feature';
  /** `{city}/{domain}/{sensorId}` */
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: Omit<SensorLatest, 'lat' | 'lon'>;
}

/** `GET /api/v1/sensors`: every located sensor. */
export interface SensorCollection {
  type: 'FeatureCollection';
  features: SensorFeature[];
}
