import { DateTime } from 'luxon';
import { isoInZone, windowOf } from './series-windows';

const at = (iso: string) => Date.parse(iso);
const hours = (w: { start: number; end: number }) => (w.end - w.start) / 3_600_000;

describe('series windows', () => {
  it('starts a Brussels day at local midnight, 23 hours long when the clocks go forward', () => {
    const day = windowOf(at('2026-03-29T12:00:00Z'), '1d', 'Europe/Brussels');
    expect(isoInZone(day.start, 'Europe/Brussels')).toBe('2026-03-29T00:00:00.000+01:00');
    expect(isoInZone(day.end, 'Europe/Brussels')).toBe('2026-03-30T00:00:00.000+02:00');
    expect(hours(day)).toBe(23);
  });

  it('makes the day the clocks go back 25 hours long', () => {
    const day = windowOf(at('2026-10-25T12:00:00Z'), '1d', 'Europe/Brussels');
    expect(new Date(day.start).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(hours(day)).toBe(25);
  });

  it('puts 23:30 UTC on 28 March into the Brussels day of the 29th, but the UTC day of the 28th', () => {
    const ms = at('2026-03-28T23:30:00Z');
    expect(isoInZone(windowOf(ms, '1d', 'Europe/Brussels').start, 'Europe/Brussels')).toBe(
      '2026-03-29T00:00:00.000+01:00',
    );
    expect(new Date(windowOf(ms, '1d', 'UTC').start).toISOString()).toBe('2026-03-28T00:00:00.000Z');
  });

  it('starts weeks on Monday and months on the 1st, local time', () => {
    const week = windowOf(at('2026-11-28T12:00:00Z'), '1w', 'Europe/Brussels');
    expect(isoInZone(week.start, 'Europe/Brussels')).toBe('2026-11-23T00:00:00.000+01:00');
    const march = windowOf(at('2026-03-15T12:00:00Z'), '1mo', 'Europe/Brussels');
    expect(isoInZone(march.start, 'Europe/Brussels')).toBe('2026-03-01T00:00:00.000+01:00');
    expect(isoInZone(march.end, 'Europe/Brussels')).toBe('2026-04-01T00:00:00.000+02:00');
    expect(hours(march)).toBe(31 * 24 - 1);
  });

  it('aligns fixed windows to the epoch', () => {
    expect(windowOf(at('2026-11-28T10:07:30Z'), '15m', 'Europe/Brussels')).toEqual({
      start: at('2026-11-28T10:00:00Z'),
      end: at('2026-11-28T10:15:00Z'),
    });
  });

  it('writes times as luxon does, across the clock changes and in UTC', () => {
    for (
      let ms = Date.parse('2026-03-28T22:00:00Z');
      ms < Date.parse('2026-03-29T03:00:00Z');
      ms += 1_234_567
    ) {
      expect(isoInZone(ms, 'Europe/Brussels')).toBe(
        DateTime.fromMillis(ms, { zone: 'Europe/Brussels' }).toISO(),
      );
      expect(isoInZone(ms, 'UTC')).toBe(new Date(ms).toISOString());
    }
    const backAgain = Date.parse('2026-10-25T00:59:59.999Z');
    expect(isoInZone(backAgain, 'Europe/Brussels')).toBe('2026-10-25T02:59:59.999+02:00');
    expect(isoInZone(backAgain + 1, 'Europe/Brussels')).toBe('2026-10-25T02:00:00.000+01:00');
  });
});
