import { readPush } from './sensor-community-push';

/** The captured request's body (SDS011 + BME280), as the firmware sends it: values as text. */
const CAPTURED = {
  esp8266id: '12331981',
  software_version: 'NRZ-2020-129',
  sensordatavalues: [
    { value_type: 'SDS_P1', value: '0.40' },
    { value_type: 'SDS_P2', value: '0.20' },
    { value_type: 'BME280_temperature', value: '20.47' },
    { value_type: 'BME280_pressure', value: '100613.25' },
    { value_type: 'BME280_humidity', value: '69.02' },
    { value_type: 'samples', value: '4222662' },
    { value_type: 'signal', value: '-94' },
  ],
};

describe('readPush', () => {
  it('puts P1 in pm10 and P2 in pm25, and the BME280 in the weather sensor, pressure in hPa', () => {
    const read = readPush(CAPTURED, { air: 'sc-1-pm', weather: 'sc-1-wx' });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(Object.fromEntries(read.byDomain)).toEqual({
      air: { pm10: 0.4, pm25: 0.2 },
      weather: { temperature: 20.47, humidity: 69.02, pressure: 1006.1325 },
    });
    expect(read.signalDbm).toBe(-94);
  });

  it("gives a station without a weather sensor the BME280's temperature and humidity in its air sensor", () => {
    const read = readPush(CAPTURED, { air: 'sc-1-pm' });
    expect(read.ok && Object.fromEntries(read.byDomain)).toEqual({
      air: { pm10: 0.4, pm25: 0.2, temperature: 20.47, humidity: 69.02 },
    });
  });

  it("reads a DNMS's LAeq and LA_max (not LA_min, which is no LA90) and the interval in ms", () => {
    const read = readPush(
      {
        esp8266id: '1234567',
        sensordatavalues: [
          { value_type: 'DNMS_noise_LAeq', value: '50.95' },
          { value_type: 'DNMS_noise_LA_min', value: '47.20' },
          { value_type: 'DNMS_noise_LA_max', value: '56.95' },
          { value_type: 'interval', value: '145000' },
        ],
      },
      { noise: 'sc-2-dnms' },
    );
    expect(read).toMatchObject({ ok: true, intervalS: 145 });
    expect(read.ok && Object.fromEntries(read.byDomain)).toEqual({ noise: { laeq: 50.95, lamax: 56.95 } });
  });

  it('refuses a value that is not a number, and a push with nothing for the station', () => {
    const bad = { esp8266id: '1', sensordatavalues: [{ value_type: 'SDS_P1', value: 'nan' }] };
    expect(readPush(bad, { air: 'a' })).toEqual({
      ok: false,
      reason: 'wrong_type',
      detail: 'SDS_P1: "nan" is not a number',
    });
    expect(readPush(CAPTURED, { noise: 'n' })).toMatchObject({ ok: false, reason: 'missing_field' });
  });
});
