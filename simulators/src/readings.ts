import type {
  AirObservationPayload,
  Domain,
  MobilityObservationPayload,
  NoiseObservationPayload,
  ObservationPayload,
  ObservationPayloadOf,
  WeatherObservationPayload,
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

export function weatherReading(
  sensor: SimulatedSensor,
  ts: number,
  periodS: number,
  phase: number,
  random: Random,
): WeatherObservationPayload {
  const t = brusselsTime(ts);
  const weather = weatherDrift(ts, phase);
  const sun = daylight(t);
  // A front (high drift) brings wind, low pressure and, now and then, rain.
  const raining = weather > 0.7 && random.uniform() < 0.6;
  return {
    ts,
    periodS,
    temperature: round1(4 + 8 * weather + 6 * sun + 0.3 * sensor.bias + random.gaussian(0, 0.2)),
    humidity: round1(clamp(92 - 30 * sun - 10 * weather + random.gaussian(0, 2), 15, 100)),
    pressure: round1(1018 - 25 * weather + random.gaussian(0, 0.3)),
    windSpeed: round1(clamp(1.5 + 9 * weather * sensor.size + random.gaussian(0, 0.8), 0, 40)),
    windDirection: Math.round(
      (230 + 60 * Math.sin(phase * 7 + weather * 3) + random.gaussian(0, 15) + 360) % 360,
    ),
    rain: raining ? round1((random.between(0.2, 4) * periodS) / 3600) : 0,
  };
}

/** What a simulated device of a domain is, and what it reads; the registry the fleet is built from. */
export interface SimulatedDomain<D extends Domain> {
  /** Share of a default fleet. */
  share: number;
  model: string;
  /** Dutch, in the sensor's name: "Leuven luchtkwaliteit 3". */
  name: string;
  idPrefix: string;
  reading: (
    sensor: SimulatedSensor,
    ts: number,
    intervalS: number,
    phase: number,
    random: Random,
  ) => ObservationPayloadOf<D>;
  /**
   * Faults that change the primary reading (stuck, drift, spikes), per reading after the fault
   * starts; absent where the reading is not simulated with enough spread to fault convincingly.
   */
  valueFaults?: { driftPerReading: number; spike: number };
}

export const SIMULATED_DOMAINS: { [D in Domain]: SimulatedDomain<D> } = {
  air: {
    share: 0.25,
    model: 'Meetnet AQ-2',
    name: 'luchtkwaliteit',
    idPrefix: 'air',
    reading: (sensor, ts, _intervalS, phase, random) => airReading(sensor, ts, phase, random),
    valueFaults: { driftPerReading: 3, spike: 150 },
  },
  noise: {
    share: 0.25,
    model: 'Meetnet NM-1',
    name: 'geluid',
    idPrefix: 'noise',
    reading: (sensor, ts, intervalS, _phase, random) => noiseReading(sensor, ts, intervalS, random),
    valueFaults: { driftPerReading: 1.5, spike: 35 },
  },
  // Counters are the most common.
  mobility: {
    share: 0.4,
    model: 'Meetnet TC-4',
    name: 'telpunt',
    idPrefix: 'mob',
    reading: (sensor, ts, intervalS, _phase, random) => mobilityReading(sensor, ts, intervalS, random),
  },
  weather: {
    share: 0.1,
    model: 'Meetnet WS-1',
    name: 'weerstation',
    idPrefix: 'wx',
    reading: (sensor, ts, intervalS, phase, random) => weatherReading(sensor, ts, intervalS, phase, random),
  },
};

export function reading(
  sensor: SimulatedSensor,
  ts: number,
  intervalS: number,
  phase: number,
  random: Random,
): ObservationPayload {
  return (SIMULATED_DOMAINS[sensor.domain] as SimulatedDomain<Domain>).reading(
    sensor,
    ts,
    intervalS,
    phase,
    random,
  );
}
