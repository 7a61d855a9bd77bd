import { parseDate, showDate } from './local-date';

describe('local dates', () => {
  it('shows a date day first in Dutch, as ISO in English', () => {
    expect(showDate('2026-11-30', 'nl-BE')).toBe('30/11/2026');
    expect(showDate('2026-11-30', 'en')).toBe('2026-11-30');
    expect(showDate('', 'nl-BE')).toBe('');
  });

  it('reads what people type, day first, and ISO', () => {
    expect(parseDate('30/11/2026')).toBe('2026-11-30');
    expect(parseDate('1-3-2026')).toBe('2026-03-01');
    expect(parseDate('30.11.2026')).toBe('2026-11-30');
    expect(parseDate('2026-03-28')).toBe('2026-03-28');
  });

  it('refuses days that do not exist and text that is no date', () => {
    expect(parseDate('31/11/2026')).toBeUndefined();
    expect(parseDate('29/02/2026')).toBeUndefined();
    expect(parseDate('11/30/2026')).toBeUndefined();
    expect(parseDate('gisteren')).toBeUndefined();
  });
});
