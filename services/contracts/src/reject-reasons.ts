/**
 * Why an incoming message was refused. Every reason is counted in
 * `meetnet_ingest_rejected_total{reason}` and names the dead-letter topic
 * (`meetnet/_rejected/{reason}`).
 */
export const REJECT_REASONS = [
  /** The topic is not `meetnet/{city}/{domain}/{sensorId}/obs` with valid parts. */
  'bad_topic',
  /** Larger than the service accepts. */
  'too_large',
  /** Not UTF-8 JSON, or not a JSON object. */
  'malformed_json',
  /** A property the domain does not define. */
  'unknown_field',
  /** A required property is absent (or no measurement at all). */
  'missing_field',
  /** A value of the wrong JSON type. */
  'wrong_type',
  /** A value outside the physical range of its quantity. */
  'out_of_range',
  /** `ts` is neither ISO 8601 with an offset nor epoch milliseconds. */
  'invalid_timestamp',
  /** `ts` lies further in the future than the allowed clock skew. */
  'future_timestamp',
  /** Valid here, but InfluxDB refused the point (HTTP 400), for instance a field type conflict. */
  'storage_rejected',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** The reasons decided at the door, from the topic and payload alone. */
export const DECODE_REJECT_REASONS = REJECT_REASONS.filter((r) => r !== 'storage_rejected');

/** What the service publishes on the dead-letter topic for each rejected message. */
export interface DeadLetter {
  reason: RejectReason;
  /** Human-readable detail, such as the schema error. */
  detail: string;
  /** The topic the message arrived on. */
  topic: string;
  /** The original payload: UTF-8 text where it decodes, base64 otherwise. */
  payload: string;
  payloadEncoding: 'utf8' | 'base64';
  /** ISO 8601 time the service received the message. */
  receivedAt: string;
}
