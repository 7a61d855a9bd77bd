import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { DOMAIN_FIELDS, type Domain } from '@meetnet/contracts';
import { schemaProblem } from '../validation/schema-problem';
import type { FieldMapping } from './field-mapping';
import type { NetworkServerKind } from './network-servers';
import { SOURCES_FILE_SCHEMA } from './sources-file.schema';

/** How a device's fields are read from its decoded uplink; shared by devices of one model. */
export interface DeviceProfile {
  domain: Domain;
  /** Seconds between uplinks, as the devices are configured (the uplink does not say). */
  intervalS: number;
  /** Meetnet field → where it sits in the decoded payload. */
  fields: Record<string, FieldMapping>;
  /** Where the battery charge (%) sits, for devices that report one: it feeds Fleet health. */
  battery?: FieldMapping;
}

export interface MappedDevice {
  /** The network server's name for it, as in the topic: TTN's device id, ChirpStack's DevEUI. */
  device: string;
  profile: string;
  city: string;
  sensorId: string;
  name: string;
  lat: number;
  lon: number;
}

/** A Sensor.Community (airRohr) station that pushes to Meetnet ("send to own API"). */
export interface PushStation {
  /** As the firmware's `X-Sensor` header says it, such as `esp8266-12331981`: also its user name. */
  station: string;
  /** The file with the password the station sends (basic auth, set in its configuration page). */
  passwordFile: string;
  city: string;
  name: string;
  lat: number;
  lon: number;
  /** The station's sending interval, s (the firmware's default is 145). */
  intervalS: number;
  /** Its Meetnet sensor per domain: one station carries a PM sensor, a BME280, a DNMS… */
  sensors: Partial<Record<Domain, string>>;
}

export interface PushSourceEntry {
  name: string;
  kind: 'sensor-community';
  stations: PushStation[];
}

/** A station ready to take pushes: its password read. */
export interface KnownStation extends Omit<PushStation, 'passwordFile'> {
  source: string;
  password: string;
}

/** A Telraam segment and the Meetnet traffic sensor it is. */
export interface TelraamSegment {
  /** Telraam's segment id, such as `348917`. */
  segment: string;
  city: string;
  sensorId: string;
  name: string;
  lat: number;
  lon: number;
}

export interface TelraamSourceEntry {
  name: string;
  kind: 'telraam';
  /** File holding the API token (`X-Api-Key`). */
  apiKeyFile: string;
  /** Default https://telraam-api.net/v1. */
  baseUrl?: string;
  /** How often to ask for new hours, s (default 900); Telraam's hours arrive late and are revised. */
  pollIntervalS?: number;
  /** How far back the first poll (and one after downtime) reaches, days (default 6). */
  backfillDays?: number;
  /** How long one request may take, s (default 30). */
  timeoutS?: number;
  segments: TelraamSegment[];
}

/** A Telraam account ready to poll: its token read. */
export interface TelraamSource {
  name: string;
  apiKey: string;
  baseUrl: string;
  pollIntervalS: number;
  backfillDays: number;
  timeoutS: number;
  segments: TelraamSegment[];
}

/** One upstream system as the city writes it in the sources file. */
export interface SourceEntry {
  /** Names the source in logs, metrics and dead letters, such as `ttn-leuven`. */
  name: string;
  kind: NetworkServerKind;
  broker: { url: string; username?: string; passwordFile?: string; caFile?: string };
  /** TTN: `{application-id}@{tenant-id}` (or the id alone); ChirpStack: the application's id. */
  application: string;
  profiles: Record<string, DeviceProfile>;
  devices: MappedDevice[];
}

/** A source ready to connect: secrets read, devices joined with their profiles. */
export interface UpstreamSource extends Omit<SourceEntry, 'broker' | 'devices' | 'profiles'> {
  broker: { url: string; username?: string; password?: string; ca?: Buffer };
  devices: Map<string, MappedDevice & DeviceProfile>;
}

const validate = new Ajv({ strict: true, allErrors: false, discriminator: true }).compile<{
  sources: Array<SourceEntry | PushSourceEntry | TelraamSourceEntry>;
}>(SOURCES_FILE_SCHEMA);

export class SourcesFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** What the sources file says: the network servers to subscribe to, and the stations that push. */
export interface ReadSources {
  lorawan: UpstreamSource[];
  /** By station id (`esp8266-…`), across every push source. */
  stations: Map<string, KnownStation>;
  telraam: TelraamSource[];
}

/**
 * Reads and checks the sources file; every problem names the entry to fix (`sources[0]
 * (ttn-leuven) devices[2]: …`). Relative secret and CA paths are read from the file's folder.
 */
export function readSourcesFile(path: string): ReadSources {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourcesFileError([
      code ? `cannot be read (${code})` : `not JSON (${(error as Error).message})`,
    ]);
  }
  if (!validate(parsed)) {
    const error = validate.errors?.[0];
    const { name, reason } = schemaProblem(error, 'file', 'property');
    const inside = name.replace(/^sources\/\d+\/?/, '');
    throw new SourcesFileError([
      `${entryName(parsed, error?.instancePath ?? '')}${inside || 'entry'}: ${reason}`,
    ]);
  }
  const problems: string[] = [];
  const names = new Set<string>();
  const addresses = new Set<string>();
  const claim = (at: string, address: string) => {
    if (addresses.has(address)) problems.push(`${at}: ${address} is already another device`);
    addresses.add(address);
  };
  const dir = resolve(path, '..');
  const read = (at: string, file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(resolve(dir, file));
    } catch (error) {
      problems.push(`${at}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
      return undefined;
    }
  };
  const lorawan: UpstreamSource[] = [];
  const stations = new Map<string, KnownStation>();
  const telraam: TelraamSource[] = [];
  parsed.sources.forEach((entry, index) => {
    const at = `sources[${index}] (${entry.name})`;
    if (names.has(entry.name)) problems.push(`${at}: the name is used twice`);
    names.add(entry.name);
    if (entry.kind === 'telraam') {
      entry.segments.forEach((segment, g) =>
        claim(`${at} segments[${g}]`, `${segment.city}/mobility/${segment.sensorId}`),
      );
      telraam.push({
        name: entry.name,
        apiKey: read(`${at} apiKeyFile`, entry.apiKeyFile)?.toString('utf8').trim() ?? '',
        baseUrl: (entry.baseUrl ?? 'https://telraam-api.net/v1').replace(/\/$/, ''),
        pollIntervalS: entry.pollIntervalS ?? 900,
        backfillDays: entry.backfillDays ?? 6,
        timeoutS: entry.timeoutS ?? 30,
        segments: entry.segments,
      });
      return;
    }
    if (entry.kind === 'sensor-community') {
      entry.stations.forEach(({ passwordFile, ...station }, s) => {
        const where = `${at} stations[${s}]`;
        if (stations.has(station.station))
          problems.push(`${where}: station "${station.station}" is listed twice`);
        for (const [domain, sensorId] of Object.entries(station.sensors))
          claim(where, `${station.city}/${domain}/${sensorId}`);
        const password = read(`${where} passwordFile`, passwordFile)?.toString('utf8').trim() ?? '';
        stations.set(station.station, { ...station, source: entry.name, password });
      });
      return;
    }
    for (const [profileName, profile] of Object.entries(entry.profiles)) {
      for (const field of Object.keys(profile.fields)) {
        if (!(field in DOMAIN_FIELDS[profile.domain])) {
          problems.push(`${at} profiles.${profileName}: "${field}" is not a ${profile.domain} field`);
        }
      }
    }
    const devices = new Map<string, MappedDevice & DeviceProfile>();
    entry.devices.forEach((device, d) => {
      const profile = entry.profiles[device.profile];
      if (!profile) return problems.push(`${at} devices[${d}]: profile "${device.profile}" is not defined`);
      if (devices.has(device.device))
        problems.push(`${at} devices[${d}]: device "${device.device}" is mapped twice`);
      claim(`${at} devices[${d}]`, `${device.city}/${profile.domain}/${device.sensorId}`);
      devices.set(device.device, { ...profile, ...device });
    });
    const { passwordFile, caFile, ...broker } = entry.broker;
    lorawan.push({
      name: entry.name,
      kind: entry.kind,
      application: entry.application,
      broker: {
        ...broker,
        password: read(`${at} broker.passwordFile`, passwordFile)?.toString('utf8').trim(),
        ca: read(`${at} broker.caFile`, caFile),
      },
      devices,
    });
  });
  if (problems.length > 0) throw new SourcesFileError(problems);
  return { lorawan, stations, telraam };
}

/** `sources[1] (chirpstack-gent) ` for an error inside that entry. */
function entryName(parsed: unknown, instancePath: string): string {
  const index = /^\/sources\/(\d+)/.exec(instancePath)?.[1];
  if (index === undefined) return '';
  const name = (parsed as { sources: Array<{ name?: unknown }> }).sources[Number(index)]?.name;
  return `sources[${index}]${typeof name === 'string' ? ` (${name})` : ''} `;
}
