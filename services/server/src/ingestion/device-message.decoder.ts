import {
  type MetaPayload,
  type ParsedTopic,
  type RejectReason,
  rejectionFromSchemaErrors,
  type StatusPayload,
  validateMeta,
  validateStatus,
} from '@meetnet/contracts';

export type DeviceMessage =
  | { ok: true; kind: 'meta'; meta: MetaPayload }
  | { ok: true; kind: 'status'; status: StatusPayload }
  | { ok: false; reason: RejectReason; detail: string };

/** A retained `meta` or `status` message → its payload, or the reason it is refused. Never throws. */
export function decodeDeviceMessage(
  topic: ParsedTopic,
  payload: Buffer,
  maxPayloadBytes: number,
): DeviceMessage {
  if (payload.length > maxPayloadBytes) {
    return {
      ok: false,
      reason: 'too_large',
      detail: `payload of ${payload.length} bytes exceeds ${maxPayloadBytes}`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      reason: 'malformed_json',
      detail: `payload is not JSON: ${(error as Error).message}`,
    };
  }
  if (topic.kind === 'meta') {
    return validateMeta(body)
      ? { ok: true, kind: 'meta', meta: body }
      : { ok: false, ...rejectionFromSchemaErrors(validateMeta.errors) };
  }
  return validateStatus(body)
    ? { ok: true, kind: 'status', status: body }
    : { ok: false, ...rejectionFromSchemaErrors(validateStatus.errors) };
}
