import {
  belaqiIndex,
  DOMAIN_FIELDS,
  domainSpec,
  type PublicSensorFeature,
  type PublicSensorProperties,
  type SensorLatest,
} from '@meetnet/contracts';
import type { HourlyValues } from './hourly-values.reader';
import type { PublicSettings } from './public.config';

/** Whether the city publishes this sensor at all. */
export function isPublished(settings: PublicSettings, sensor: Pick<SensorLatest, 'key' | 'domain'>): boolean {
  return settings.domains.includes(sensor.domain) && !settings.hidden.matches(sensor.key);
}

/** Only the domain's measurement fields: whatever else a reading carried stays inside. */
function measurements(domain: SensorLatest['domain'], values: Partial<Record<string, number>>) {
  const fields = DOMAIN_FIELDS[domain] as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(values).filter(([field, value]) => Object.hasOwn(fields, field) && Number.isFinite(value)),
  ) as Partial<Record<string, number>>;
}

/**
 * A sensor as the public map shows it, built field by field from an allow-list rather than
 * by leaving fields out, so a field added to the registry later stays private until named here.
 * `hour` is the last complete hour's values for layers the city publishes hourly.
 */
export function publicFeature(
  settings: PublicSettings,
  sensor: SensorLatest,
  hour: { start: number; values: HourlyValues | undefined } | undefined,
): PublicSensorFeature | undefined {
  if (sensor.lat === undefined || sensor.lon === undefined) return undefined;
  const rounded = settings.rounded.matches(sensor.key);
  const place = (degrees: number) => (rounded ? Number(degrees.toFixed(settings.positionDecimals)) : degrees);
  const reading = hour
    ? { basis: 'hour' as const, ts: hour.values ? hour.start : undefined, ...hour.values }
    : { basis: 'latest' as const, ts: sensor.ts, values: sensor.values, periodS: sensor.periodS };
  const values = measurements(sensor.domain, reading.values ?? {});
  const properties: PublicSensorProperties = {
    key: sensor.key,
    city: sensor.city,
    domain: sensor.domain,
    sensorId: sensor.sensorId,
    ...(sensor.name === undefined ? {} : { name: sensor.name }),
    basis: reading.basis,
    ...(reading.ts === undefined ? {} : { ts: reading.ts }),
    ...(reading.periodS === undefined ? {} : { periodS: reading.periodS }),
    values,
    positionRounded: rounded,
  };
  // Wherever the map offers the index (air), the public answer carries it, computed once here.
  const belaqi = Object.hasOwn(domainSpec(sensor.domain).marker.scales, 'belaqi')
    ? belaqiIndex(values)
    : undefined;
  if (belaqi) properties.belaqi = belaqi;
  return {
    type: 'Feature',
    id: sensor.key,
    geometry: { type: 'Point', coordinates: [place(sensor.lon), place(sensor.lat)] },
    properties,
  };
}
