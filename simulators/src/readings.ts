import type {
  AirObservationPayload,
  MobilityObservationPayload,
  NoiseObservationPayload,
  ObservationPayload,
} from '@meetnet/contracts';
import type { SimulatedSensor } from './fleet';
import { brusselsTime } from './local-time';
import { bikeIntensity, carIntensity, daylight, pedestrianIntensity, weatherDrift } from './patterns';
import type { Random } from './random';

const round1 = (value: number) => Math.round(value * 10) / 10;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Counts over a period are whole and never negative; Poisson-like spread around the mean. */
function count(meanPerHour: number, periodS: number, random: Random): number {
  const mean = (meanPerHour * periodS) / 3600;
  return Math.max(0, Math.round(mean + random.gaussian(0, Math.sqrt(mean + 0.25))));
}

export function mobilityReading(
  sensor: SimulatedSensor,
  ts: number,
  periodS: number,
  random: Random,
): MobilityObservationPayload {
  const t = brusselsTime(ts);
  const cars = carIntensity(t);
  const weekend = t.weekday === 0 || t.weekday === 6;
  const carsPerHour = 900 * sensor.size * cars;
  const v85 = 50 * (1.08 - 0.3 * Math.min(1, cars) ** 2) + random.gaussian(0, 2);
  return {
    ts,
    periodS,
    car: count(carsPerHour, periodS, random),
    heavy: count(carsPerHour * (weekend ? 0.03 : 0.08), periodS, random),
    bike: count(350 * sensor.size * bikeIntensity(t), periodS, random),
    pedestrian: count(250 * sensor.size * pedestrianIntensity(t), periodS, random),
    v85: round1(clamp(v85, 5, 120)),
  };
}

export function airReading(
  sensor: SimulatedSensor,
  ts: number,
  phase: number,
  random: Random,
): AirObservationPayload {
  const t = brusselsTime(ts);
  const traffic = carIntensity(t) * sensor.size;
  const weather = weatherDrift(ts, phase);
  const sun = daylight(t);
  // NO2 follows the traffic it comes from; ozone builds in sunlight and is eaten by NO.
  const no2 = 12 + 40 * traffic + 3 * sensor.bias + random.gaussian(0, 3);
  const pm25 = 5 + 18 * weather + 4 * traffic + sensor.bias + random.gaussian(0, 1.5);
  const o3 = 25 + 55 * sun * (0.6 + 0.4 * weather) - 0.25 * no2 + random.gaussian(0, 3);
  const temperature = 4 + 8 * weather + 6 * sun + 0.3 * sensor.bias + random.gaussian(0, 0.3);
  return {
    ts,
    pm25: round1(clamp(pm25, 0, 1000)),
    pm10: round1(clamp(pm25 * 1.6 + random.gaussian(0, 2), 0, 2000)),
    no2: round1(clamp(no2, 0, 2000)),
    o3: round1(clamp(o3, 0, 1000)),
    temperature: round1(temperature),
    humidity: round1(clamp(92 - 30 * sun - 10 * weather + random.gaussian(0, 2), 15, 100)),
  };
}

export function noiseReading(
  sensor: SimulatedSensor,
  ts: number,
  periodS: number,
  random: Random,
): NoiseObservationPayload {
  const t = brusselsTime(ts);
  // Road noise grows with the log of the traffic flow.
  const laeq =
    42 + 10 * Math.log10(1 + 40 * carIntensity(t) * sensor.size) + sensor.bias + random.gaussian(0, 1.2);
  return {
    ts,
    periodS,
    laeq: round1(laeq),
    lamax: round1(laeq + random.between(7, 16)),
    la90: round1(laeq - random.between(5, 10)),
  };
}

export function reading(
  sensor: SimulatedSensor,
  ts: number,
  intervalS: number,
  phase: number,
  random: Random,
): ObservationPayload {
  switch (sensor.domain) {
    case 'air':
      return airReading(sensor, ts, phase, random);
    case 'noise':
      return noiseReading(sensor, ts, intervalS, random);
    case 'mobility':
      return mobilityReading(sensor, ts, intervalS, random);
  }
}
