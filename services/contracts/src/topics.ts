import { type Domain, isDomain } from './domains';

/**
 * MQTT topics, all under one prefix:
 *   meetnet/{city}/{domain}/{sensorId}/obs     observation, QoS 1, not retained
 *   meetnet/{city}/{domain}/{sensorId}/status  battery, signal, uptime; retained; LWT sets online=false
 *   meetnet/{city}/{domain}/{sensorId}/meta    location, model, firmware; retained
 */
export const TOPIC_PREFIX = 'meetnet';
export const MESSAGE_KINDS = ['obs', 'status', 'meta'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Lower-case slug, as in `leuven` or `sint-niklaas`. */
export const CITY_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/**
 * Sensor ids become InfluxDB tag values: no spaces, commas, equals signs or backslashes, which
 * line protocol would have to escape (a trailing backslash can fail a whole batch).
 */
export const SENSOR_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface SensorAddress {
  city: string;
  domain: Domain;
  sensorId: string;
}

export interface ParsedTopic extends SensorAddress {
  kind: MessageKind;
}

export function buildTopic(address: SensorAddress, kind: MessageKind): string {
  return `${TOPIC_PREFIX}/${address.city}/${address.domain}/${address.sensorId}/${kind}`;
}

/** Returns null for any topic that is not exactly a Meetnet device topic. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5) return null;
  const [prefix, city, domain, sensorId, kind] = parts as [string, string, string, string, string];
  if (prefix !== TOPIC_PREFIX) return null;
  if (!CITY_PATTERN.test(city) || !SENSOR_ID_PATTERN.test(sensorId)) return null;
  if (!isDomain(domain)) return null;
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) return null;
  return { city, domain, sensorId, kind: kind as MessageKind };
}

/** Subscription filter for every observation of every city. */
export const OBSERVATION_FILTER = `${TOPIC_PREFIX}/+/+/+/obs`;
export const STATUS_FILTER = `${TOPIC_PREFIX}/+/+/+/status`;
export const META_FILTER = `${TOPIC_PREFIX}/+/+/+/meta`;

/** MQTT 5 shared subscription, so several service instances split the ingest. */
export function sharedFilter(group: string, filter: string): string {
  return `$share/${group}/${filter}`;
}

export const DEFAULT_DEAD_LETTER_PREFIX = `${TOPIC_PREFIX}/_rejected`;

export function deadLetterTopic(prefix: string, reason: string): string {
  return `${prefix}/${reason}`;
}
