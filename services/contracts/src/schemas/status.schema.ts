import type { JSONSchemaType } from 'ajv';
import { ajv } from './ajv';
import { TIMESTAMP_SCHEMA, type Timestamp } from './timestamp.schema';

/**
 * Retained on `.../status`. The device's last will publishes `{ "online": false }` on the same
 * topic, so a dropped device is known without waiting for a timeout.
 */
export interface StatusPayload {
  online: boolean;
  /** Battery charge, %. */
  battery?: number;
  /** Received signal strength, dBm. */
  signalDbm?: number;
  /** Seconds since the device booted. */
  uptimeS?: number;
  ts?: Timestamp;
}

const schema = {
  $id: 'meetnet/status',
  type: 'object',
  additionalProperties: false,
  required: ['online'],
  properties: {
    online: { type: 'boolean' },
    battery: { type: 'number', minimum: 0, maximum: 100, nullable: true },
    signalDbm: { type: 'number', minimum: -150, maximum: 0, nullable: true },
    uptimeS: { type: 'integer', minimum: 0, nullable: true },
    ts: TIMESTAMP_SCHEMA,
  },
} as unknown as JSONSchemaType<StatusPayload>;

export const validateStatus = ajv.compile<StatusPayload>(schema);
