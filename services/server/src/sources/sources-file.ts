import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type JSONSchemaType } from 'ajv';
import { CITY_PATTERN, DOMAIN_FIELDS, DOMAINS, type Domain, SENSOR_ID_PATTERN } from '@meetnet/contracts';
import { schemaProblem } from '../validation/schema-problem';
import { FIELD_CONVERSIONS, type FieldMapping } from './field-mapping';
import { NETWORK_SERVER_KINDS, type NetworkServerKind } from './network-servers';

/** How a device's fields are read from its decoded uplink; shared by devices of one model. */
export interface DeviceProfile {
  domain: Domain;
  /** Seconds between uplinks, as the devices are configured (the uplink does not say). */
  intervalS: number;
  /** Meetnet field → where it sits in the decoded payload. */
  fields: Record<string, FieldMapping>;
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

const NAME = '^[a-z0-9][a-z0-9_-]{0,62}$';

const fieldSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', pattern: '^[^.\\s]+(\\.[^.\\s]+)*$', maxLength: 200 },
    convert: { type: 'string', enum: Object.keys(FIELD_CONVERSIONS), nullable: true },
    scale: { type: 'number', nullable: true },
  },
} as const;

const schema: JSONSchemaType<{ sources: SourceEntry[] }> = {
  type: 'object',
  additionalProperties: false,
  required: ['sources'],
  properties: {
    sources: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind', 'broker', 'application', 'profiles', 'devices'],
        properties: {
          name: { type: 'string', pattern: NAME },
          kind: { type: 'string', enum: [...NETWORK_SERVER_KINDS] },
          broker: {
            type: 'object',
            additionalProperties: false,
            required: ['url'],
            properties: {
              url: { type: 'string', pattern: '^(mqtts?|wss?)://[^\\s]+$' },
              username: { type: 'string', nullable: true },
              passwordFile: { type: 'string', minLength: 1, nullable: true },
              caFile: { type: 'string', minLength: 1, nullable: true },
            },
          },
          application: { type: 'string', pattern: '^[^/#+\\s]{1,128}$' },
          profiles: {
            type: 'object',
            required: [],
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['domain', 'intervalS', 'fields'],
              properties: {
                domain: { type: 'string', enum: [...DOMAINS] },
                intervalS: { type: 'integer', minimum: 1, maximum: 86_400 },
                fields: {
                  type: 'object',
                  required: [],
                  minProperties: 1,
                  additionalProperties: fieldSchema,
                } as never,
              },
            },
          },
          devices: {
            type: 'array',
            maxItems: 100_000,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['device', 'profile', 'city', 'sensorId', 'name', 'lat', 'lon'],
              properties: {
                device: { type: 'string', pattern: '^[^/#+\\s]{1,64}$' },
                profile: { type: 'string', minLength: 1 },
                city: { type: 'string', pattern: CITY_PATTERN.source },
                sensorId: { type: 'string', pattern: SENSOR_ID_PATTERN.source },
                name: { type: 'string', minLength: 1, maxLength: 120 },
                lat: { type: 'number', minimum: -90, maximum: 90 },
                lon: { type: 'number', minimum: -180, maximum: 180 },
              },
            },
          },
        },
      },
    },
  },
};

const validate = new Ajv({ strict: true, allErrors: false }).compile(schema);

export class SourcesFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * Reads and checks the sources file; every problem names the entry to fix (`sources[0]
 * (ttn-leuven) devices[2]: …`). Relative secret and CA paths are read from the file's folder.
 */
export function readSourcesFile(path: string): UpstreamSource[] {
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
  const dir = resolve(path, '..');
  const sources = parsed.sources.map((entry, index) => {
    const at = `sources[${index}] (${entry.name})`;
    if (names.has(entry.name)) problems.push(`${at}: the name is used twice`);
    names.add(entry.name);
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
      const address = `${device.city}/${profile.domain}/${device.sensorId}`;
      if (addresses.has(address)) problems.push(`${at} devices[${d}]: ${address} is already another device`);
      addresses.add(address);
      devices.set(device.device, { ...profile, ...device });
    });
    const read = (file: string | undefined, what: string) => {
      if (file === undefined) return undefined;
      try {
        return readFileSync(resolve(dir, file));
      } catch (error) {
        problems.push(
          `${at} broker.${what}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`,
        );
        return undefined;
      }
    };
    const { passwordFile, caFile, ...broker } = entry.broker;
    return {
      name: entry.name,
      kind: entry.kind,
      application: entry.application,
      broker: {
        ...broker,
        password: read(passwordFile, 'passwordFile')?.toString('utf8').trim(),
        ca: read(caFile, 'caFile'),
      },
      devices,
    };
  });
  if (problems.length > 0) throw new SourcesFileError(problems);
  return sources;
}

/** `sources[1] (chirpstack-gent) ` for an error inside that entry. */
function entryName(parsed: unknown, instancePath: string): string {
  const index = /^\/sources\/(\d+)/.exec(instancePath)?.[1];
  if (index === undefined) return '';
  const name = (parsed as { sources: Array<{ name?: unknown }> }).sources[Number(index)]?.name;
  return `sources[${index}]${typeof name === 'string' ? ` (${name})` : ''} `;
}
