import type { RejectReason } from '@meetnet/contracts';

/** An uplink as every network server's format is read into: what the bridge needs, no more. */
export interface Uplink {
  /** The device as the topic names it (TTN: device id; ChirpStack: DevEUI). */
  device: string;
  /** Epoch ms the network received it. */
  receivedAt: number;
  /** The payload formatter's or codec's output. */
  decoded: Record<string, unknown>;
  /** The same uplink through another gateway or again after a retry has the same key. */
  dedupeKey: string;
  /** The best gateway's signal, dBm, where the uplink carries one. */
  rssi?: number;
}

export type UplinkResult = ({ ok: true } & Uplink) | { ok: false; reason: RejectReason; detail: string };

export interface NetworkServerFormat {
  /** The topic filter for an application's uplinks. */
  uplinkFilter(application: string): string;
  parse(topic: string, payload: Buffer): UplinkResult;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(payload: Buffer): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(payload.toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function timeOf(...candidates: unknown[]): number | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const ms = Date.parse(candidate);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}

/** The strongest gateway's RSSI: one uplink, however many gateways heard it. */
function bestRssi(receptions: unknown): number | undefined {
  if (!Array.isArray(receptions)) return undefined;
  const values = receptions
    .map((r) => (isObject(r) ? r['rssi'] : undefined))
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length > 0 ? Math.max(...values) : undefined;
}

const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

const malformed = (detail: string): UplinkResult => ({ ok: false, reason: 'malformed_json', detail });
const missing = (detail: string): UplinkResult => ({ ok: false, reason: 'missing_field', detail });

/**
 * The Things Stack v3 (TTN): `v3/{app}@{tenant}/devices/{device}/up`, values in
 * `uplink_message.decoded_payload`. Empty fields are left out (the first uplink after a join has
 * no `f_cnt`); `session_key_id` changes at a rejoin, so a counter reset is a new key, not a repeat.
 */
const ttnV3: NetworkServerFormat = {
  uplinkFilter: (application) => `v3/${application}/devices/+/up`,
  parse(topic, payload) {
    const device = topic.split('/')[3];
    const body = parseJson(payload);
    if (!device || !body) return malformed('not a JSON object');
    const uplink = body['uplink_message'];
    if (!isObject(uplink)) return missing('no uplink_message');
    const decoded = uplink['decoded_payload'];
    if (!isObject(decoded)) return missing('no decoded_payload: the application has no payload formatter');
    const receivedAt = timeOf(body['received_at'], uplink['received_at']);
    if (receivedAt === undefined) return missing('no received_at');
    const ids = isObject(body['end_device_ids']) ? body['end_device_ids'] : {};
    const counter = typeof uplink['f_cnt'] === 'number' ? uplink['f_cnt'] : 0;
    return {
      ok: true,
      device,
      receivedAt,
      decoded,
      dedupeKey: `${text(ids['dev_eui'], device)}/${text(uplink['session_key_id'])}/${counter}`,
      rssi: bestRssi(uplink['rx_metadata']),
    };
  },
};

/**
 * ChirpStack v4: `application/{id}/device/{devEui}/event/up`, values in `object` (numbers are
 * f64: `6992.0`). The network server already merged the gateways' copies into one event with a
 * `deduplicationId`; `time` may come from a gateway's GPS days off, so its own `nsTime` comes first.
 */
const chirpstackV4: NetworkServerFormat = {
  uplinkFilter: (application) => `application/${application}/device/+/event/up`,
  parse(topic, payload) {
    const device = topic.split('/')[3];
    const body = parseJson(payload);
    if (!device || !body) return malformed('not a JSON object');
    const decoded = body['object'];
    if (!isObject(decoded)) return missing('no object: the device profile has no codec');
    const receptions = Array.isArray(body['rxInfo']) ? body['rxInfo'] : [];
    const first: Json = isObject(receptions[0]) ? receptions[0] : {};
    const receivedAt = timeOf(first['nsTime'], body['time']);
    if (receivedAt === undefined) return missing('no time');
    const dedupeKey =
      typeof body['deduplicationId'] === 'string'
        ? body['deduplicationId']
        : `${device}/${String(body['fCnt'])}`;
    return { ok: true, device, receivedAt, decoded, dedupeKey, rssi: bestRssi(receptions) };
  },
};

export const NETWORK_SERVERS = { 'ttn-v3': ttnV3, 'chirpstack-v4': chirpstackV4 } as const;
export type NetworkServerKind = keyof typeof NETWORK_SERVERS;
export const NETWORK_SERVER_KINDS = Object.keys(NETWORK_SERVERS) as NetworkServerKind[];
