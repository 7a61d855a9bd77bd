import { createHash } from 'node:crypto';
import { DEAD_LETTER_EXCERPT_BYTES, DEAD_LETTER_MAX_BYTES, REJECT_REASONS } from '@meetnet/contracts';
import fc from 'fast-check';
import { boundedDeadLetter, deadLetterLine } from './dead-letter';

const MAX_PACKET = 65_536;
const at = Date.parse('2026-12-01T12:00:00Z');

function letterBytes(payload: Buffer, topic = 'meetnet/leuven/air/a-1/obs', detail = 'x'): number {
  const letter = boundedDeadLetter({ reason: 'malformed_json', detail, topic, payload, receivedAt: at });
  return Buffer.byteLength(JSON.stringify(letter));
}

describe('dead letters stay small whatever arrived', () => {
  it('keeps 12 KB of control characters under the bound (it JSON-escaped to ~72 KB before)', () => {
    const payload = Buffer.alloc(12_000, 0x01);
    expect(Buffer.byteLength(JSON.stringify(payload.toString('utf8')))).toBeGreaterThan(MAX_PACKET);
    expect(letterBytes(payload)).toBeLessThanOrEqual(DEAD_LETTER_MAX_BYTES);
  });

  it('bounds every payload up to the packet limit, every byte value, any topic and detail', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: MAX_PACKET }),
          fc.string({ unit: 'binary', maxLength: 20_000 }).map((s) => new TextEncoder().encode(s)),
          fc
            .integer({ min: 0, max: MAX_PACKET })
            .chain((n) => fc.constantFrom(0, 0x22, 0x5c, 0x7f, 0xff).map((b) => new Uint8Array(n).fill(b))),
        ),
        fc.string({ unit: 'binary', maxLength: 5000 }),
        fc.string({ unit: 'binary', maxLength: 5000 }),
        (bytes, topic, detail) => {
          expect(letterBytes(Buffer.from(bytes), topic, detail)).toBeLessThanOrEqual(DEAD_LETTER_MAX_BYTES);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the first 4 KiB, the length and the hash of the whole payload', () => {
    const payload = Buffer.from(`{"ts":1,"pm25":${'9'.repeat(10_000)}}`);
    const letter = boundedDeadLetter({
      reason: 'too_large',
      detail: 'd',
      topic: 't',
      payload,
      receivedAt: at,
    });
    expect(letter).toMatchObject({
      excerptEncoding: 'utf8',
      payloadBytes: payload.length,
      payloadSha256: createHash('sha256').update(payload).digest('hex'),
      truncated: true,
    });
    expect(letter.excerpt).toBe(payload.subarray(0, DEAD_LETTER_EXCERPT_BYTES).toString('utf8'));
  });

  it('keeps bytes that are not UTF-8 as base64, exactly', () => {
    const payload = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    const letter = boundedDeadLetter({
      reason: 'malformed_json',
      detail: 'd',
      topic: 't',
      payload,
      receivedAt: at,
    });
    expect(letter.excerptEncoding).toBe('base64');
    expect(Buffer.from(letter.excerpt, 'base64').equals(payload)).toBe(true);
    expect(letter.truncated).toBe(false);
  });

  it('names the sensor only when the topic is a device topic', () => {
    const payload = Buffer.from('{}');
    const base = { reason: 'missing_field' as const, detail: 'd', payload, receivedAt: at };
    expect(boundedDeadLetter({ ...base, topic: 'meetnet/leuven/noise/n-7/obs' }).sensor).toEqual({
      city: 'leuven',
      domain: 'noise',
      sensorId: 'n-7',
    });
    expect(boundedDeadLetter({ ...base, topic: 'meetnet/leuven/noise/n 7/obs' }).sensor).toBeUndefined();
  });

  it('makes a spool line InfluxDB can parse: one line, the letter as its string field', () => {
    for (const reason of REJECT_REASONS) {
      const payload = Buffer.from('a"b\\c\nd\r\n\u2028"');
      const letter = boundedDeadLetter({
        reason,
        detail: 'quote " and \\',
        topic: 'meetnet/leuven/air/a-1/obs',
        payload,
        receivedAt: at,
      });
      const line = deadLetterLine(letter, at);
      expect(line).not.toMatch(/[\n\r]/);
      expect(line.startsWith(`rejected,city=leuven,domain=air,reason=${reason},sensor_id=a-1 letter="`)).toBe(
        true,
      );
      const field = line.slice(line.indexOf('letter="') + 8, line.lastIndexOf('" '));
      expect(JSON.parse(field.replace(/\\(["\\])/g, '$1'))).toEqual(letter);
    }
  });
});
