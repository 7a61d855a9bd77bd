import { mapFields } from './field-mapping';

describe('mapFields', () => {
  it('reads nested values by path', () => {
    expect(
      mapFields(
        { pm2_5: { value: 3.9, unit: 'µg/m³' }, t: 21 },
        { pm25: { path: 'pm2_5.value' }, temperature: { path: 't' } },
      ),
    ).toEqual({ ok: true, values: { pm25: 3.9, temperature: 21 } });
  });

  it('converts ppb to µg/m³ at 20 °C (NO2 × 1.9125, O3 × 1.9953) and Pa to hPa', () => {
    const mapped = mapFields(
      { no2: 10, o3: 10, p: 100613.25 },
      {
        no2: { path: 'no2', convert: 'ppb_no2_to_ugm3' },
        o3: { path: 'o3', convert: 'ppb_o3_to_ugm3' },
        pressure: { path: 'p', convert: 'pa_to_hpa' },
      },
    );
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.values['no2']).toBeCloseTo(19.125, 3);
    expect(mapped.values['o3']).toBeCloseTo(19.9535, 3);
    expect(mapped.values['pressure']).toBeCloseTo(1006.1325, 4);
  });

  it('scales after converting', () => {
    expect(mapFields({ v: 123 }, { laeq: { path: 'v', scale: 0.1 } })).toEqual({
      ok: true,
      values: { laeq: 12.3 },
    });
  });

  it('leaves out what the device did not report, and refuses a payload with none of the fields', () => {
    expect(mapFields({ a: 1 }, { pm25: { path: 'a' }, pm10: { path: 'b.c' } })).toEqual({
      ok: true,
      values: { pm25: 1 },
    });
    expect(mapFields({ z: 1 }, { pm25: { path: 'a' } })).toEqual({
      ok: false,
      reason: 'missing_field',
      detail: 'none of a in the payload',
    });
  });

  it('refuses a value that is not a number, naming its path', () => {
    expect(mapFields({ a: '3.9' }, { pm25: { path: 'a' } })).toEqual({
      ok: false,
      reason: 'wrong_type',
      detail: 'a is not a number (for pm25)',
    });
  });

  it('does not walk into inherited properties', () => {
    expect(mapFields({}, { pm25: { path: 'constructor.name' } }).ok).toBe(false);
  });
});
