import type { JSONSchemaType } from 'ajv';
import { ajv } from './ajv';

/** Retained on `.../meta`, in the spirit of MQTT discovery: what and where the device is. */
export interface MetaPayload {
  /** A name a person recognises, such as `Naamsestraat 12`. */
  name: string;
  /** WGS84 degrees. */
  lat: number;
  lon: number;
  model: string;
  firmware?: string;
  /** How often the device reports, seconds; health rules use it to tell silent from stale. */
  intervalS: number;
}

const schema: JSONSchemaType<MetaPayload> = {
  $id: 'meetnet/meta',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'lat', 'lon', 'model', 'intervalS'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 120 },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    model: { type: 'string', minLength: 1, maxLength: 80 },
    firmware: { type: 'string', maxLength: 40, nullable: true },
    intervalS: { type: 'integer', minimum: 1, maximum: 86_400 },
  },
};

export const validateMeta = ajv.compile<MetaPayload>(schema);
