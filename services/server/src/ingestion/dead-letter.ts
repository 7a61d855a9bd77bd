import { createHash } from 'node:crypto';
import { Point } from '@influxdata/influxdb-client';
import {
  DEAD_LETTER_DETAIL_CHARS,
  DEAD_LETTER_EXCERPT_BYTES,
  DEAD_LETTER_TOPIC_CHARS,
  type DeadLetter,
  parseTopic,
  type RejectReason,
} from '@meetnet/contracts';

/** The InfluxDB measurement dead letters are kept in, beside the observations. */
export const REJECTED_MEASUREMENT = 'rejected';

export interface RefusedMessage {
  reason: RejectReason;
  detail: string;
  topic: string;
  payload: Buffer;
  receivedAt: number;
  suppressed?: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A dead letter bounded in every field, whatever arrived (any size, any bytes, any topic), so
 * its JSON stays under DEAD_LETTER_MAX_BYTES and the broker never refuses to carry it.
 */
export function boundedDeadLetter(message: RefusedMessage): DeadLetter {
  const head = message.payload.subarray(0, DEAD_LETTER_EXCERPT_BYTES);
  const address = parseTopic(message.topic);
  return {
    reason: message.reason,
    detail: clip(message.detail, DEAD_LETTER_DETAIL_CHARS),
    topic: clip(message.topic, DEAD_LETTER_TOPIC_CHARS),
    ...(address
      ? { sensor: { city: address.city, domain: address.domain, sensorId: address.sensorId } }
      : {}),
    ...excerptOf(head),
    payloadBytes: message.payload.length,
    payloadSha256: createHash('sha256').update(message.payload).digest('hex'),
    truncated: head.length < message.payload.length,
    receivedAt: new Date(message.receivedAt).toISOString(),
    ...(message.suppressed ? { suppressed: message.suppressed } : {}),
  };
}

/**
 * The letter as a line for the spool: measurement `rejected`, tags only from the parsed topic
 * (pattern-checked, nothing to escape) and the reason; the letter itself one string field.
 */
export function deadLetterLine(letter: DeadLetter, at: number, json = JSON.stringify(letter)): string {
  const point = new Point(REJECTED_MEASUREMENT).tag('reason', letter.reason);
  if (letter.sensor) {
    point
      .tag('city', letter.sensor.city)
      .tag('domain', letter.sensor.domain)
      .tag('sensor_id', letter.sensor.sensorId);
  }
  return point.stringField('letter', json).timestamp(at).toLineProtocol()!;
}

function excerptOf(bytes: Buffer): Pick<DeadLetter, 'excerpt' | 'excerptEncoding'> {
  const base64 = { excerpt: bytes.toString('base64'), excerptEncoding: 'base64' as const };
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    // Not UTF-8, or cut inside a character: base64 keeps every byte.
    return base64;
  }
  // Control characters JSON-escape to six bytes each; past base64's 4/3 the text is not worth it.
  return JSON.stringify(text).length > (bytes.length * 4) / 3 + 8
    ? base64
    : { excerpt: text, excerptEncoding: 'utf8' };
}

/** At most `max` characters, never cutting a surrogate pair in half. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
