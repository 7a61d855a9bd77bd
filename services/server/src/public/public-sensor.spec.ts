import type { SensorLatest } from '@meetnet/contracts';
import { loadAppConfig } from '../app-config';
import { type ConfigError } from '../config/config-loader';
import { isPublished, publicFeature } from './public-sensor';

const BASE_ENV = { NODE_ENV: 'development', INFLUX_WRITE_TOKEN: 'w', INFLUX_READ_TOKEN: 'r' };
const settingsOf = (env: Record<string, string> = {}) => loadAppConfig({ ...BASE_ENV, ...env }).public;

const air: SensorLatest = {
  key: 'leuven/air/air-0001',
  city: 'leuven',
  domain: 'air',
  sensorId: 'air-0001',
  name: 'Naamsestraat',
  lat: 50.876912,
  lon: 4.700534,
  ts: 1_800_000_000_000,
  values: { no2: 41, pm25: 8, humidity: 60 },
  lastSeen: 1_800_000_001_000,
};

describe('the public view of a sensor', () => {
  it('publishes every layer by default, air and traffic as the last complete hour', () => {
    const settings = settingsOf();
    expect(settings.domains).toEqual(['air', 'noise', 'mobility', 'weather']);
    expect(settings.hourlyDomains).toEqual(['air', 'mobility']);
    expect(isPublished(settings, air)).toBe(true);
  });

  it('leaves out hidden sensors by pattern, and whole layers the city does not publish', () => {
    const settings = settingsOf({ PUBLIC_DOMAINS: 'air,noise', PUBLIC_HIDDEN_SENSORS: 'leuven/air/air-00*' });
    expect(isPublished(settings, air)).toBe(false);
    expect(isPublished(settings, { ...air, key: 'leuven/air/air-1001' })).toBe(true);
    expect(isPublished(settings, { key: 'leuven/weather/w-1', domain: 'weather' })).toBe(false);
    // `*` stays within one part of the key.
    expect(isPublished(settingsOf({ PUBLIC_HIDDEN_SENSORS: '*/air' + '/x*' }), air)).toBe(true);
  });

  it('keeps the place and the measurements, and nothing the registry knows of the device', () => {
    const feature = publicFeature(settingsOf(), air, undefined)!;
    expect(feature.geometry.coordinates).toEqual([4.700534, 50.876912]);
    expect(feature.properties).toEqual({
      key: 'leuven/air/air-0001',
      city: 'leuven',
      domain: 'air',
      sensorId: 'air-0001',
      name: 'Naamsestraat',
      basis: 'latest',
      ts: 1_800_000_000_000,
      values: { no2: 41, pm25: 8, humidity: 60 },
      positionRounded: false,
      belaqi: { index: 6, pollutant: 'no2', missing: ['pm10', 'o3'] },
    });
  });

  it('rounds the position where the city asks, to the decimals it chose', () => {
    const settings = settingsOf({ PUBLIC_ROUNDED_POSITIONS: 'leuven/air/*', PUBLIC_POSITION_DECIMALS: '2' });
    const feature = publicFeature(settings, air, undefined)!;
    expect(feature.geometry.coordinates).toEqual([4.7, 50.88]);
    expect(feature.properties.positionRounded).toBe(true);
  });

  it('shows an hourly layer as its hour, with no values (and no time) when the hour had none', () => {
    const settings = settingsOf();
    const hour = { start: 1_799_996_400_000, values: { values: { no2: 25, pm25: 10 } } };
    const feature = publicFeature(settings, air, hour)!;
    expect(feature.properties).toMatchObject({
      basis: 'hour',
      ts: hour.start,
      values: { no2: 25, pm25: 10 },
    });
    expect(feature.properties.belaqi).toEqual({ index: 4, pollutant: 'no2', missing: ['pm10', 'o3'] });
    const empty = publicFeature(settings, air, { start: hour.start, values: undefined })!;
    expect(empty.properties.values).toEqual({});
    expect(empty.properties.ts).toBeUndefined();
    expect(empty.properties.belaqi).toBeUndefined();
  });

  it('drops values that are no field of the domain, and sensors without a place', () => {
    const odd = { ...air, values: { no2: 10, battery: 80 } as Partial<Record<string, number>> };
    expect(publicFeature(settingsOf(), odd, undefined)!.properties.values).toEqual({ no2: 10 });
    expect(publicFeature(settingsOf(), { ...air, lat: undefined }, undefined)).toBeUndefined();
  });

  it('stops start-up on a layer that does not exist, or an hourly layer that is not published', () => {
    const problems = (env: Record<string, string>) => {
      try {
        settingsOf(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ PUBLIC_DOMAINS: 'air,rain' })[0]).toMatch(/^PUBLIC_DOMAINS=air,rain: /);
    expect(problems({ PUBLIC_DOMAINS: 'air', PUBLIC_HOURLY_DOMAINS: 'mobility' })).toEqual([
      'PUBLIC_HOURLY_DOMAINS=mobility: mobility is not in PUBLIC_DOMAINS',
    ]);
    expect(problems({ PUBLIC_DOMAINS: 'none' })).toEqual([]);
  });
});
