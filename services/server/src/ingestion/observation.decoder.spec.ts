import { DECODE_REJECT_REASONS, type RejectReason } from '@meetnet/contracts';
import { decodeObservation } from './observation.decoder';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const options = { now: NOW, maxFutureSkewMs: 300_000, maxAgeMs: 7 * 86_400_000, maxPayloadBytes: 1024 };
const decode = (topic: string, payload: string | Buffer) =>
  decodeObservation(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, options);

const AIR = 'meetnet/leuven/air/air-0001/obs';
const NOISE = 'meetnet/leuven/noise/noise-0001/obs';
const MOBILITY = 'meetnet/leuven/mobility/mob-0001/obs';

describe('decodeObservation', () => {
  it('normalises a valid air observation, taking identity from the topic', () => {
    expect(decode(AIR, '{"ts":"2026-11-28T12:59:00+01:00","pm25":12.5,"no2":31}')).toEqual({
      ok: true,
      observation: {
        city: 'leuven',
        domain: 'air',
        sensorId: 'air-0001',
        ts: Date.parse('2026-11-28T11:59:00Z'),
        values: { pm25: 12.5, no2: 31 },
      },
    });
  });

  it('keeps the counting period apart from the values', () => {
    const result = decode(MOBILITY, `{"ts":${NOW},"periodS":300,"car":120,"v85":48.5}`);
    expect(result).toMatchObject({
      ok: true,
      observation: { ts: NOW, periodS: 300, values: { car: 120, v85: 48.5 } },
    });
  });

  it('accepts an observation six days old (a device that was offline a while)', () => {
    expect(decode(AIR, `{"ts":${NOW - 6 * 86_400_000},"pm25":3}`).ok).toBe(true);
  });

  it('allows a clock that runs ahead by less than the skew', () => {
    expect(decode(AIR, `{"ts":${NOW + 299_000},"pm25":3}`).ok).toBe(true);
  });

  const cases: Array<[RejectReason, string, string, string | Buffer]> = [
    ['bad_topic', 'unknown domain', 'meetnet/leuven/water/w1/obs', `{"ts":${NOW},"pm25":3}`],
    ['bad_topic', 'status topic on the observation path', 'meetnet/leuven/air/a1/status', '{"online":true}'],
    ['bad_topic', 'tag-breaking sensor id', 'meetnet/leuven/air/a\\/obs', `{"ts":${NOW},"pm25":3}`],
    ['too_large', 'payload over the limit', AIR, `{"ts":${NOW},"pm25":3,"x":"${'a'.repeat(2000)}"}`],
    ['malformed_json', 'truncated JSON', AIR, '{"ts":1,'],
    ['malformed_json', 'a bare number', AIR, '42'],
    ['malformed_json', 'null', AIR, 'null'],
    ['malformed_json', 'binary', AIR, Buffer.from([0xff, 0x00, 0xfe])],
    ['unknown_field', 'a field of another domain', AIR, `{"ts":${NOW},"pm25":3,"laeq":50}`],
    ['unknown_field', 'a sensor id in the payload', AIR, `{"ts":${NOW},"pm25":3,"sensorId":"x"}`],
    ['missing_field', 'no ts', AIR, '{"pm25":3}'],
    ['missing_field', 'no periodS for a counter', MOBILITY, `{"ts":${NOW},"car":3}`],
    ['missing_field', 'no laeq for a noise meter', NOISE, `{"ts":${NOW},"periodS":60,"lamax":80}`],
    ['missing_field', 'no measurement at all', AIR, `{"ts":${NOW}}`],
    ['wrong_type', 'text for a number', AIR, `{"ts":${NOW},"pm25":"12"}`],
    ['wrong_type', 'a fractional count', MOBILITY, `{"ts":${NOW},"periodS":60,"car":2.5}`],
    ['wrong_type', 'null for a number', AIR, `{"ts":${NOW},"pm25":null}`],
    ['out_of_range', 'negative PM2.5', AIR, `{"ts":${NOW},"pm25":-1}`],
    ['out_of_range', '200 dB(A)', NOISE, `{"ts":${NOW},"periodS":60,"laeq":200}`],
    ['out_of_range', 'a zero-length period', MOBILITY, `{"ts":${NOW},"periodS":0,"car":1}`],
    ['invalid_timestamp', 'ISO without offset', AIR, '{"ts":"2026-11-28T12:00:00","pm25":3}'],
    ['invalid_timestamp', 'epoch seconds', AIR, `{"ts":${Math.floor(NOW / 1000)},"pm25":3}`],
    ['invalid_timestamp', 'a word', AIR, '{"ts":"now","pm25":3}'],
    ['invalid_timestamp', 'a boolean', AIR, '{"ts":true,"pm25":3}'],
    ['future_timestamp', 'six minutes ahead', AIR, `{"ts":${NOW + 360_000},"pm25":3}`],
    ['too_old', 'eight days ago (history rewritten)', AIR, `{"ts":${NOW - 8 * 86_400_000},"pm25":3}`],
    ['too_old', 'the year 1700, which InfluxDB would store', AIR, '{"ts":"1700-01-01T00:00:00Z","pm25":3}'],
  ];

  it('has a case for every reject reason', () => {
    expect(new Set(cases.map(([reason]) => reason))).toEqual(new Set(DECODE_REJECT_REASONS));
  });

  it.each(cases)('rejects as %s: %s', (reason, _name, topic, payload) => {
    const result = decode(topic, payload);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.detail).not.toHaveLength(0);
  });
});
