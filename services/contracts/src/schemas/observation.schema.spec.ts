import { DOMAIN_FIELDS, DOMAINS, domainSpec, type FieldSpec } from '../domains';
import { observationValidators } from './observation.schema';
import { validateMeta } from './meta.schema';
import { validateStatus } from './status.schema';

const ts = '2026-11-28T08:00:00+01:00';

describe('observation schemas', () => {
  it.each([
    ['air', { ts, pm25: 12.1, pm10: 20, no2: 35, o3: 40, temperature: 7.5, humidity: 80 }],
    ['air', { ts: 1_795_852_800_000, no2: 35 }],
    ['noise', { ts, periodS: 60, laeq: 62.4, lamax: 75, la90: 51 }],
    ['mobility', { ts, periodS: 300, car: 120, bike: 40, pedestrian: 12, heavy: 6, v85: 47.5 }],
  ] as const)('accepts a complete %s observation', (domain, payload) => {
    expect(observationValidators[domain](payload)).toBe(true);
  });

  it('takes its ranges from the field definitions', () => {
    for (const domain of DOMAINS) {
      for (const [field, spec] of Object.entries<FieldSpec>(DOMAIN_FIELDS[domain])) {
        // The least a message of the domain needs besides the field under test.
        const { period, required } = domainSpec(domain);
        const base = {
          ts,
          ...(period ? { periodS: 60 } : {}),
          ...Object.fromEntries(
            required.map((name: string) => [
              name,
              (DOMAIN_FIELDS[domain] as Record<string, FieldSpec>)[name]!.min,
            ]),
          ),
        };
        const validate = observationValidators[domain];
        expect(validate({ ...base, [field]: spec.max })).toBe(true);
        expect(validate({ ...base, [field]: spec.max + 1 })).toBe(false);
        expect(validate({ ...base, [field]: spec.min - 1 })).toBe(false);
      }
    }
  });

  it('refuses fractional counts', () => {
    expect(observationValidators.mobility({ ts, periodS: 60, car: 1.5 })).toBe(false);
  });

  it('refuses an ISO timestamp without an offset, which would be read in the server’s zone', () => {
    expect(observationValidators.air({ ts: '2026-11-28T08:00:00', pm25: 3 })).toBe(false);
  });

  it('refuses an observation that measures nothing', () => {
    expect(observationValidators.air({ ts })).toBe(false);
    expect(observationValidators.mobility({ ts, periodS: 60 })).toBe(false);
  });

  it('knows the units of every air field', () => {
    expect(Object.fromEntries(Object.entries(DOMAIN_FIELDS.air).map(([k, v]) => [k, v.unit]))).toEqual({
      pm25: 'µg/m³',
      pm10: 'µg/m³',
      no2: 'µg/m³',
      o3: 'µg/m³',
      temperature: '°C',
      humidity: '%',
    });
  });
});

describe('status and meta schemas', () => {
  it('accepts a last will and a full status', () => {
    expect(validateStatus({ online: false })).toBe(true);
    expect(validateStatus({ online: true, battery: 81, signalDbm: -72, uptimeS: 3600, ts })).toBe(true);
  });

  it('refuses a battery above 100 %', () => {
    expect(validateStatus({ online: true, battery: 120 })).toBe(false);
  });

  it('requires a location in meta', () => {
    expect(validateMeta({ name: 'Naamsestraat', lat: 50.87, lon: 4.7, model: 'AQ-2', intervalS: 60 })).toBe(
      true,
    );
    expect(validateMeta({ name: 'Naamsestraat', model: 'AQ-2', intervalS: 60 })).toBe(false);
  });
});
