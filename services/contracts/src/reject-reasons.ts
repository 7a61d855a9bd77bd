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
  /**
   * `ts` is older than the accepted age (INGEST_MAX_AGE_S, a week by default): a stolen
   * credential must not rewrite a sensor's history. Backfills go around the door on purpose.
   */
  'too_old',
  /** The device sent faster than its budget (INGEST_DEVICE_RATE_PER_S); the excess is refused. */
  'rate_limited',
  /** Valid here, but InfluxDB refused the point (HTTP 400), for instance a field type conflict. */
  'storage_rejected',
  /** From an upstream source (a LoRaWAN network server), but the sources file maps no such device. */
  'unknown_device',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/** The reasons decided at the door, from the topic and payload alone (not by the sender's rate). */
export const DECODE_REJECT_REASONS = REJECT_REASONS.filter(
  (r) => r !== 'storage_rejected' && r !== 'rate_limited' && r !== 'unknown_device',
);

/** Every dead letter fits this, whatever arrived: far below any broker's `max_packet_size`. */
export const DEAD_LETTER_MAX_BYTES = 16 * 1024;
/** How much of the refused payload a dead letter keeps: enough to see what went wrong. */
export const DEAD_LETTER_EXCERPT_BYTES = 4 * 1024;
export const DEAD_LETTER_TOPIC_CHARS = 256;
export const DEAD_LETTER_DETAIL_CHARS = 512;

/**
 * What the service keeps of each rejected message (on the dead-letter topic, in InfluxDB's
 * `rejected` measurement, and in the rejects API). Never the whole payload: a dead letter
 * bigger than the broker's packet limit would make the broker drop the service's connection,
 * and the refused message come back on every reconnect.
 */
export interface DeadLetter {
  reason: RejectReason;
  /** Human-readable detail, such as the schema error (at most 512 characters). */
  detail: string;
  /** The topic the message arrived on (its first 256 characters). */
  topic: string;
  /** The sensor the topic names, when it names one. */
  sensor?: { city: string; domain: string; sensorId: string };
  /** The payload's first 4 KiB: UTF-8 text where it decodes and stays short once JSON-escaped, base64 otherwise. */
  excerpt: string;
  excerptEncoding: 'utf8' | 'base64';
  /** The whole payload's length and SHA-256 (hex), to match a letter with what a device sent. */
  payloadBytes: number;
  payloadSha256: string;
  /** True when the excerpt is not the whole payload. */
  truncated: boolean;
  /** ISO 8601 time the service received the message. */
  receivedAt: string;
  /** For `rate_limited`: how many messages of this device were refused since the previous letter. */
  suppressed?: number;
}
