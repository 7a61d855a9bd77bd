import { buildTopic, DOMAINS, type MessageKind } from '@meetnet/contracts';
import { validObservationOf } from '../support/domain-observation';

/** A small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FuzzMessage {
  topic: string;
  payload: Buffer;
  /** Built to be valid: it must be stored (observations) or taken in (status, meta). */
  valid: boolean;
  kind: MessageKind;
  mutation: string;
}

/** Below Mosquitto's max_packet_size (65,536) with the topic and headers. */
export const MAX_FUZZ_PAYLOAD = 65_000;
const SENSORS_PER_DOMAIN = 200;

/**
 * Hostile and honest messages for the whole path: valid observations (each its own instant),
 * status and meta, and mutations of them — random bytes, truncations, huge and odd numbers,
 * deep nesting, escapes and broken UTF-8, unknown and missing fields, bad topics, sizes up to
 * the broker's packet limit. Deterministic for a seed.
 */
export function* hostileMessages(count: number, seed: number, base: number): Generator<FuzzMessage> {
  const r = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
  for (let seq = 0; seq < count; seq++) {
    const domain = pick(DOMAINS);
    const address = { city: 'fuzzville', domain, sensorId: `z-${Math.floor(r() * SENSORS_PER_DOMAIN)}` };
    const roll = r();
    const kind: MessageKind = roll < 0.8 ? 'obs' : roll < 0.9 ? 'status' : 'meta';
    const honest =
      kind === 'obs'
        ? { ts: base + seq, ...validObservationOf(domain, r) }
        : kind === 'status'
          ? {
              online: true,
              battery: Math.floor(r() * 100),
              signalDbm: -60 - Math.floor(r() * 40),
              uptimeS: seq,
            }
          : {
              name: `Fuzz ${address.sensorId}`,
              lat: 51 + r() * 0.1,
              lon: 3.7 + r() * 0.1,
              model: 'fuzz',
              intervalS: 60,
            };
    const topic = buildTopic(address, kind);
    const text = JSON.stringify(honest);
    if (r() < 0.3) yield { topic, payload: Buffer.from(text), valid: true, kind, mutation: 'none' };
    else yield mutate(topic, text, honest, kind, r, pick);
  }
}

type Mutation = (text: string, body: Record<string, unknown>, r: () => number) => string | Buffer;

const MUTATIONS: Record<string, Mutation> = {
  random_bytes: (_t, _b, r) =>
    Buffer.from(Array.from({ length: 1 + Math.floor(r() * 300) }, () => Math.floor(r() * 256))),
  truncated: (text, _b, r) => text.slice(0, Math.max(1, Math.floor(text.length * r()))),
  huge_number: (text) => text.replace(/:(-?[0-9.]+)/, ':1e999'),
  negative_zero_and_tiny: (text) => text.replace(/:(-?[0-9.]+)/, ':-0.0000000000000000000000000001'),
  long_digits: (text) => text.replace(/:(-?[0-9.]+)/, `:${'9'.repeat(5000)}`),
  deep_array: () => `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  deep_object: (text) => text.replace(/^\{/, `{"x":${'{"x":'.repeat(5000)}1${'}'.repeat(5000)},`),
  control_characters: (_t, _b, r) => Buffer.alloc(12_000 + Math.floor(r() * 4000), 0x01),
  escapes: (text) => text.replace(/}$/, ',"k":"\\u0000\\ud800\\\\\\"\\n\\t\\u2028"}'),
  broken_utf8: (text) =>
    Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xc3, 0x28, 0xe2, 0x82]), Buffer.from('}')]),
  unknown_field: (_text, body) => JSON.stringify({ ...body, firmwareDump: 'x' }),
  missing_everything: () => '{}',
  wrong_types: (_text, body) =>
    JSON.stringify(Object.fromEntries(Object.entries(body).map(([k]) => [k, [k]]))),
  too_old: (_text, body) => JSON.stringify({ ...body, ts: 0 }),
  future: (_text, body) => JSON.stringify({ ...body, ts: Date.now() + 86_400_000 * 365 }),
  prototype_keys: () => '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},"ts":1}',
  oversize_valid_json: (_text, body, r) =>
    JSON.stringify({ ...body, pad: 'a'.repeat(17_000 + Math.floor(r() * 40_000)) }),
  at_packet_limit: () => Buffer.alloc(MAX_FUZZ_PAYLOAD, 0x22),
  not_an_object: () => JSON.stringify(['ts', 1, null, true]),
  empty_obs: () => '',
};

const BAD_TOPICS = [
  'meetnet/fuzzville/water/z-1/obs',
  'meetnet/Fuzzville/air/z-1/obs',
  'meetnet/fuzzville/air/z\\1/obs',
  // Matches the subscription but names no device: the dead-letter prefix itself.
  'meetnet/_rejected/air/z-1/obs',
  'meetnet/fuzzville/air/ /obs',
  `meetnet/fuzzville/air/${'z'.repeat(300)}/obs`,
];

function mutate(
  topic: string,
  text: string,
  body: Record<string, unknown>,
  kind: MessageKind,
  r: () => number,
  pick: <T>(items: readonly T[]) => T,
): FuzzMessage {
  if (r() < 0.05) {
    return {
      topic: pick(BAD_TOPICS).replace('/obs', `/${kind}`),
      payload: Buffer.from(text),
      valid: false,
      kind,
      mutation: 'bad_topic',
    };
  }
  // An empty status or meta clears a retained message (it is neither taken in nor refused).
  const names = Object.keys(MUTATIONS).filter((name) => kind === 'obs' || name !== 'empty_obs');
  const mutation = pick(names);
  const mutated = MUTATIONS[mutation]!(text, body, r);
  return {
    topic,
    payload: Buffer.isBuffer(mutated) ? mutated : Buffer.from(mutated),
    valid: false,
    kind,
    mutation,
  };
}
