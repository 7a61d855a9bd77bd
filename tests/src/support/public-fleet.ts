import { buildTopic, type SensorAddress } from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { startTestStack, type TestStack } from './test-stack';
import { waitFor } from './wait-for';

const HOUR = 3_600_000;

/** The settings the public-map tests run with: one hidden sensor, traffic positions rounded. */
export const PUBLIC_TEST_ENV = {
  PUBLIC_DOMAINS: 'air,noise,mobility',
  PUBLIC_HIDDEN_SENSORS: 'leuven/air/hidden-*',
  PUBLIC_ROUNDED_POSITIONS: 'leuven/mobility/*',
};

/** The hour the fleet's hourly readings fall in: the last complete one when it was published. */
export function lastCompleteHour(now = Date.now()): number {
  return Math.floor(now / HOUR) * HOUR - HOUR;
}

/** Waits out the last minute and a half of an hour: the test's "last hour" must stay the service's. */
export async function wellInsideAnHour(): Promise<void> {
  const into = Date.now() % HOUR;
  if (into > HOUR - 90_000) await new Promise((resolve) => setTimeout(resolve, HOUR - into + 5_000));
}

/**
 * A small published fleet with readings in the last complete hour, worked by hand: the air
 * station's hour is NO2 25, PM2.5 10 (BelAQI 4), the counter's 300 cars in 3,600 s.
 */
export async function publishPublicFleet(device: MqttClient, lastHour: number): Promise<void> {
  const publish = (address: SensorAddress, kind: 'meta' | 'status' | 'obs', body: object) =>
    device.publishAsync(buildTopic(address, kind), JSON.stringify(body), { qos: 1, retain: kind === 'meta' });
  const now = Date.now();
  const air: SensorAddress = { city: 'leuven', domain: 'air', sensorId: 'pub-1' };
  await publish(air, 'meta', {
    name: 'Naamsestraat',
    lat: 50.876912,
    lon: 4.700534,
    intervalS: 5,
    model: 'AQ-2',
  });
  await publish(air, 'status', { online: true, battery: 71, signalDbm: -80, uptimeS: 1000, ts: now });
  await publish(air, 'obs', { ts: lastHour + 600_000, no2: 20, pm25: 8 });
  await publish(air, 'obs', { ts: lastHour + 1_800_000, no2: 30, pm25: 12 });
  // This hour's reading: an hourly layer does not show it yet.
  await publish(air, 'obs', { ts: now - 1000, no2: 200, pm25: 90 });
  const hidden: SensorAddress = { city: 'leuven', domain: 'air', sensorId: 'hidden-1' };
  await publish(hidden, 'meta', { name: 'Binnenplaats', lat: 50.87, lon: 4.7, intervalS: 5, model: 'AQ-2' });
  await publish(hidden, 'obs', { ts: now - 1000, no2: 10 });
  const traffic: SensorAddress = { city: 'leuven', domain: 'mobility', sensorId: 'telraam-9000' };
  await publish(traffic, 'meta', {
    name: 'Tiensestraat',
    lat: 50.874567,
    lon: 4.712345,
    intervalS: 1800,
    // As the Telraam poller describes a counter.
    model: 'telraam',
  });
  await publish(traffic, 'obs', { ts: lastHour + 60_000, periodS: 1800, car: 100, v85: 40 });
  await publish(traffic, 'obs', { ts: lastHour + 1_860_000, periodS: 1800, car: 200, v85: 50 });
  const noise: SensorAddress = { city: 'leuven', domain: 'noise', sensorId: 'n-1' };
  await publish(noise, 'meta', {
    name: 'Ladeuzeplein',
    lat: 50.878,
    lon: 4.706,
    intervalS: 60,
    model: 'NL-52',
  });
  await publish(noise, 'obs', { ts: now - 1000, periodS: 60, laeq: 55.5 });
  const weather: SensorAddress = { city: 'leuven', domain: 'weather', sensorId: 'w-1' };
  await publish(weather, 'meta', { name: 'Dak', lat: 50.88, lon: 4.7, intervalS: 300, model: 'WS' });
  await publish(weather, 'obs', { ts: now - 1000, periodS: 300, temperature: 11 });
}

/** Until the fleet is stored and in the registry: the public map caches what it first builds. */
export async function fleetKnown(
  fetchAs: (role: 'analyst' | 'officer', path: string) => Promise<Response>,
  lastHour: number,
): Promise<boolean | undefined> {
  const from = new Date(lastHour).toISOString();
  const series = await fetchAs(
    'analyst',
    `/api/v1/sensors/leuven/mobility/telraam-9000/series?field=car&every=1h&from=${from}`,
  );
  const stored = ((await series.json()) as { points: unknown[] }).points.length > 0;
  const sensors = (await (await fetchAs('officer', '/api/v1/sensors')).json()) as {
    features: Array<{ properties: { values: { laeq?: number; no2?: number } } }>;
  };
  const latest = sensors.features.map((f) => f.properties.values);
  return stored && latest.some((v) => v.laeq === 55.5) && latest.some((v) => v.no2 === 200)
    ? true
    : undefined;
}

export interface PublicFleetStack {
  stack: TestStack;
  device: MqttClient;
  /** The hour the fleet's hourly readings fall in. */
  lastHour: number;
  stop: () => Promise<void>;
}

/**
 * A fresh stack with the published test fleet stored and known. `before` publishes what must
 * come before the fleet (the fleet's readings are then each sensor's newest); `after` what may
 * come after it.
 */
export async function startPublicFleetStack(
  env: Record<string, string> = {},
  hooks: {
    before?: (device: MqttClient) => Promise<void>;
    after?: (device: MqttClient) => Promise<void>;
  } = {},
): Promise<PublicFleetStack> {
  await wellInsideAnHour();
  const stack = await startTestStack({ ...PUBLIC_TEST_ENV, ...env });
  const device = await connectAsync(stack.broker.url, { protocolVersion: 5 });
  const lastHour = lastCompleteHour();
  await hooks.before?.(device);
  await publishPublicFleet(device, lastHour);
  await hooks.after?.(device);
  await waitFor('the fleet stored and known', () => fleetKnown(stack.service.fetchAs, lastHour), 20_000);
  return {
    stack,
    device,
    lastHour,
    stop: async () => {
      await device.endAsync();
      await stack.stop();
    },
  };
}
