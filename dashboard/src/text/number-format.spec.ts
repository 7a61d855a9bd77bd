import { formatReading } from './number-format';

describe('formatReading', () => {
  it("rounds to the field's decimals and writes a decimal comma in nl-BE", () => {
    expect(formatReading('air', 'no2', 15.12857142857143, 'nl-BE')).toBe('15,1');
    expect(formatReading('weather', 'temperature', 22.5, 'nl-BE')).toBe('22,5');
    expect(formatReading('air', 'no2', 15.12857142857143, 'en')).toBe('15.1');
  });

  it('shows counts whole, with the locale grouping thousands', () => {
    expect(formatReading('mobility', 'car', 1234, 'nl-BE')).toBe('1.234');
    expect(formatReading('mobility', 'car', 12, 'en')).toBe('12');
  });
});
