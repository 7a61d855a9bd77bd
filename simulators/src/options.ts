import { parseArgs } from 'node:util';
import { findMunicipality, type MunicipalityFeature } from '@meetnet/contracts';

export interface SimulatorOptions {
  url: string;
  username: string | undefined;
  password: string | undefined;
  sensors: number;
  /** Seconds between two observations of one device, in simulated time. */
  intervalS: number;
  seed: string;
  /** Simulated seconds per real second. */
  accel: number;
  city: MunicipalityFeature;
  /** Real seconds to run; 0 runs until SIGINT. */
  durationS: number;
  /** Start of the simulated clock, epoch ms. */
  start: number;
  /** MQTT connections; 0 means one per device (each with its own last will). */
  connections: number;
  record: string | undefined;
  json: boolean;
  progressEveryS: number;
}

export const USAGE = `meetnet-sim: simulated traffic counters, air-quality stations and noise meters

Options:
  --url URL            broker (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --username, --password  device credentials, where the broker asks for them
  --sensors N          fleet size, 1–10000 (default 300)
  --interval S         seconds between observations per device (default 5)
  --seed TEXT          same seed, same fleet and readings (default meetnet)
  --accel X            time acceleration, simulated seconds per second (default 1)
  --city NAME|NIS      Flemish municipality (default Leuven)
  --duration S         stop after S seconds (default: run until Ctrl-C)
  --start ISO          start of the simulated clock (default now; with --accel, in the past)
  --connections N      share N connections instead of one per device (default: one per device up to 1000)
  --record FILE        write every published observation to FILE as NDJSON
  --json               print the final summary as JSON
  --progress S         seconds between progress lines (default 5; 0 for none)
  --help`;

export class OptionsError extends Error {}

function number(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new OptionsError(
      `--${name}=${raw}: must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`,
    );
  }
  return value;
}

export function parseOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
  now = Date.now(),
): SimulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      sensors: { type: 'string' },
      interval: { type: 'string' },
      seed: { type: 'string' },
      accel: { type: 'string' },
      city: { type: 'string' },
      duration: { type: 'string' },
      start: { type: 'string' },
      connections: { type: 'string' },
      record: { type: 'string' },
      json: { type: 'boolean' },
      progress: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const url = values.url ?? env['MQTT_URL'] ?? 'mqtt://127.0.0.1:1883';
  if (!/^(mqtts?|wss?):\/\/\S+$/.test(url))
    throw new OptionsError(`--url=${url}: must be an mqtt://, mqtts://, ws:// or wss:// URL`);
  const cityName = values.city ?? 'Leuven';
  const city = findMunicipality(cityName);
  if (!city) throw new OptionsError(`--city=${cityName}: not a Flemish municipality (name or NIS code)`);
  const sensors = number('sensors', values.sensors, 300, 1, 10_000, true);
  const accel = number('accel', values.accel, 1, 0.01, 100_000);
  const durationS = number('duration', values.duration, 0, 0, 31_536_000);
  let start = now;
  if (values.start !== undefined) {
    start = Date.parse(values.start);
    if (!Number.isFinite(start)) throw new OptionsError(`--start=${values.start}: must be an ISO 8601 date`);
  } else if (accel > 1) {
    // An accelerated clock must not overtake the real one: the service refuses future readings.
    start = now - (durationS > 0 ? durationS * accel * 1000 : 7 * 86_400_000);
  }
  return {
    url,
    username: values.username ?? env['MQTT_USERNAME'],
    password: values.password ?? env['MQTT_PASSWORD'],
    sensors,
    intervalS: number('interval', values.interval, 5, 1, 86_400, true),
    seed: values.seed ?? 'meetnet',
    accel,
    city,
    durationS,
    start,
    connections: number('connections', values.connections, sensors > 1000 ? 100 : 0, 0, 10_000, true),
    record: values.record,
    json: values.json ?? false,
    progressEveryS: number('progress', values.progress, 5, 0, 3600),
  };
}
