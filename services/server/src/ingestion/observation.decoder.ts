import {
  type Observation,
  observationValidators,
  parseTopic,
  type ParsedTopic,
  type RejectReason,
  rejectionFromSchemaErrors,
  timestampToEpochMs,
} from '@meetnet/contracts';

export interface DecodeOptions {
  /** Receive time, epoch ms. */
  now: number;
  maxFutureSkewMs: number;
  /** Older than this before the receive time is refused as `too_old`. */
  maxAgeMs: number;
  maxPayloadBytes: number;
}

export type DecodeResult =
  { ok: true; observation: Observation } | { ok: false; reason: RejectReason; detail: string };

function reject(reason: RejectReason, detail: string): DecodeResult {
  return { ok: false, reason, detail };
}

/** Topic + raw payload → a normalised observation, or the reason it is refused. Never throws. */
export function decodeObservation(
  topic: string,
  payload: Buffer,
  options: DecodeOptions,
  // The caller may have parsed it already (the rate budget needs it first).
  address: ParsedTopic | null = parseTopic(topic),
): DecodeResult {
  if (!address || address.kind !== 'obs') {
    return reject('bad_topic', 'the topic is not meetnet/{city}/{domain}/{sensorId}/obs');
  }
  if (payload.length > options.maxPayloadBytes) {
    return reject('too_large', `payload of ${payload.length} bytes exceeds ${options.maxPayloadBytes}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return reject('malformed_json', `payload is not JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return reject('malformed_json', 'payload must be a JSON object');
  }
  const validate = observationValidators[address.domain];
  if (!validate(body)) {
    const { reason, detail } = rejectionFromSchemaErrors(validate.errors);
    return reject(reason, detail);
  }
  const { ts: rawTs, ...rest } = body as { ts: string | number; periodS?: number } & Record<string, number>;
  const ts = timestampToEpochMs(rawTs);
  if (!Number.isFinite(ts)) return reject('invalid_timestamp', `ts "${String(rawTs)}" is not a real instant`);
  if (ts > options.now + options.maxFutureSkewMs) {
    return reject('future_timestamp', `ts ${new Date(ts).toISOString()} is ahead of the receive time`);
  }
  if (ts < options.now - options.maxAgeMs) {
    return reject('too_old', `ts ${new Date(ts).toISOString()} is older than the accepted age`);
  }
  const { periodS, ...values } = rest;
  return {
    ok: true,
    observation: {
      city: address.city,
      domain: address.domain,
      sensorId: address.sensorId,
      ts,
      ...(periodS === undefined ? {} : { periodS }),
      values,
    },
  };
}
