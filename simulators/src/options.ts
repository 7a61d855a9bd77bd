import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findMunicipality, type MunicipalityFeature } from '@meetnet/contracts';
import { FAULT_SCENARIOS, type FaultSpec, FaultSpecError, parseFaultSpec } from './faults';

export interface SimulatorOptions {
  url: string;
  username: string | undefined;
  password: string | undefined;
  /** Device username (`city.domain.id`) → password, as `npm run device:add -- --credentials-out` writes it. */
  credentials: Record<string, string> | undefined;
  /** PEM of the CA that signed the broker's certificate, for mqtts://. */
  ca: Buffer | undefined;
  /** Print the fleet's addresses (city/domain/id), one per line, and exit: the list to provision. */
  listDevices: boolean;
  /** Faults to inject, and after how many real seconds they start. */
  faults: FaultSpec | undefined;
  faultAfterS: number;
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
  --username, --password  one account for every device (a gateway), where the broker asks for one
  --credentials FILE   each device its own account: JSON {"leuven.air.AQ-0001": "password", ...}
  --ca FILE            CA certificate of the broker, for mqtts://
  --list-devices       print the fleet as city/domain/id lines (to provision) and exit, with each device's fault
  --faults SPEC        inject faults: kind:count or kind:percent%, comma-separated; kinds dropout, stuck,
                       drift, spikes, low_battery, weak_signal, clock_skew, malformed
  --scenario NAME      a named fault mix: ${Object.keys(FAULT_SCENARIOS).join(', ')}
  --fault-after S      real seconds before the faults start (default 0)
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
      credentials: { type: 'string' },
      ca: { type: 'string' },
      'list-devices': { type: 'boolean' },
      faults: { type: 'string' },
      scenario: { type: 'string' },
      'fault-after': { type: 'string' },
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
  const credentials = values.credentials === undefined ? undefined : readCredentials(values.credentials);
  if (credentials && values.connections !== undefined && values.connections !== '0') {
    throw new OptionsError(
      '--connections: each device connects with its own account when --credentials is given',
    );
  }
  return {
    url,
    username: values.username ?? env['MQTT_USERNAME'],
    password: values.password ?? env['MQTT_PASSWORD'],
    credentials,
    ca: values.ca === undefined ? undefined : readFile('ca', values.ca),
    listDevices: values['list-devices'] ?? false,
    faults: faultSpec(values.faults, values.scenario),
    faultAfterS: number('fault-after', values['fault-after'], 0, 0, 86_400),
    sensors,
    intervalS: number('interval', values.interval, 5, 1, 86_400, true),
    seed: values.seed ?? 'meetnet',
    accel,
    city,
    durationS,
    start,
    connections: credentials
      ? 0
      : number('connections', values.connections, sensors > 1000 ? 100 : 0, 0, 10_000, true),
    record: values.record,
    json: values.json ?? false,
    progressEveryS: number('progress', values.progress, 5, 0, 3600),
  };
}

function readFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new OptionsError(
      `--${name}=${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

function readCredentials(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile('credentials', path).toString('utf8'));
  } catch (error) {
    if (error instanceof OptionsError) throw error;
    throw new OptionsError(`--credentials=${path}: not JSON`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    Object.values(parsed).some((v) => typeof v !== 'string')
  ) {
    throw new OptionsError(`--credentials=${path}: expected {"city.domain.id": "password", ...}`);
  }
  return parsed as Record<string, string>;
}

function faultSpec(faults: string | undefined, scenario: string | undefined): FaultSpec | undefined {
  if (faults !== undefined && scenario !== undefined)
    throw new OptionsError('--faults and --scenario: give one');
  if (scenario !== undefined) {
    const spec = FAULT_SCENARIOS[scenario];
    if (!spec)
      throw new OptionsError(`--scenario=${scenario}: one of ${Object.keys(FAULT_SCENARIOS).join(', ')}`);
    return parseFaultSpec(spec);
  }
  if (faults === undefined) return undefined;
  try {
    return parseFaultSpec(faults);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new OptionsError(`--faults=${faults}: ${error.message}`);
    throw error;
  }
}
