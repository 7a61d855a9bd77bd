import { CITY_PATTERN, DOMAINS, SENSOR_ID_PATTERN } from '@meetnet/contracts';
import { FIELD_CONVERSIONS } from './field-mapping';
import { NETWORK_SERVER_KINDS } from './network-servers';

/**
 * The sources file's JSON Schema: each entry's `kind` picks the schema of its kind (a LoRaWAN
 * network server, Sensor.Community stations, a Telraam account). The types are in sources-file.ts.
 */
const NAME = '^[a-z0-9][a-z0-9_-]{0,62}$';

const fieldSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', pattern: '^[^.\\s]+(\\.[^.\\s]+)*$', maxLength: 200 },
    convert: { type: 'string', enum: Object.keys(FIELD_CONVERSIONS) },
    scale: { type: 'number' },
  },
} as const;

const place = {
  city: { type: 'string', pattern: CITY_PATTERN.source },
  name: { type: 'string', minLength: 1, maxLength: 120 },
  lat: { type: 'number', minimum: -90, maximum: 90 },
  lon: { type: 'number', minimum: -180, maximum: 180 },
} as const;

const pushSourceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'stations'],
  properties: {
    name: { type: 'string', pattern: NAME },
    kind: { const: 'sensor-community' },
    stations: {
      type: 'array',
      maxItems: 100_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['station', 'passwordFile', 'city', 'name', 'lat', 'lon', 'intervalS', 'sensors'],
        properties: {
          station: { type: 'string', pattern: '^esp(8266|32)-[0-9A-Za-z]{1,32}$' },
          passwordFile: { type: 'string', minLength: 1 },
          ...place,
          intervalS: { type: 'integer', minimum: 10, maximum: 86_400 },
          sensors: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: Object.fromEntries(
              DOMAINS.map((domain) => [domain, { type: 'string', pattern: SENSOR_ID_PATTERN.source }]),
            ),
          },
        },
      },
    },
  },
} as const;

const telraamSourceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'apiKeyFile', 'segments'],
  properties: {
    name: { type: 'string', pattern: NAME },
    kind: { const: 'telraam' },
    apiKeyFile: { type: 'string', minLength: 1 },
    baseUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
    pollIntervalS: { type: 'integer', minimum: 1, maximum: 86_400 },
    backfillDays: { type: 'integer', minimum: 0, maximum: 90 },
    timeoutS: { type: 'integer', minimum: 1, maximum: 300 },
    segments: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['segment', 'city', 'sensorId', 'name', 'lat', 'lon'],
        properties: {
          segment: { type: 'string', pattern: '^[0-9]{1,20}$' },
          sensorId: { type: 'string', pattern: SENSOR_ID_PATTERN.source },
          ...place,
        },
      },
    },
  },
} as const;

const lorawanSourceSchema = {
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
        username: { type: 'string' },
        passwordFile: { type: 'string', minLength: 1 },
        caFile: { type: 'string', minLength: 1 },
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
          },
          battery: fieldSchema,
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
          sensorId: { type: 'string', pattern: SENSOR_ID_PATTERN.source },
          ...place,
        },
      },
    },
  },
} as const;

export const SOURCES_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['sources'],
  properties: {
    sources: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['kind'],
        properties: {
          kind: { type: 'string', enum: [...NETWORK_SERVER_KINDS, 'sensor-community', 'telraam'] },
        },
        // The entry's `kind` picks its schema, so an error speaks of that kind's properties.
        discriminator: { propertyName: 'kind' },
        oneOf: [
          ...NETWORK_SERVER_KINDS.map((kind) => ({
            ...lorawanSourceSchema,
            properties: { ...lorawanSourceSchema.properties, kind: { const: kind } },
          })),
          pushSourceSchema,
          telraamSourceSchema,
        ],
      },
    },
  },
};
