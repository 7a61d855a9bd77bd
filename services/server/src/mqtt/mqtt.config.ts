import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { configSlice, type SettingsOf, unreadable } from '../config/config-slice';

export const mqttConfig = configSlice({
  name: 'mqtt',
  variables: {
    MQTT_URL: {
      type: 'string',
      description:
        'broker; unset runs an embedded Aedes broker on 127.0.0.1:`MQTT_EMBEDDED_PORT`, without accounts, so refused in production',
      pattern: '^(mqtts?|wss?)://[^\\s]+$',
    },
    MQTT_USERNAME: { type: 'string', description: "the service's broker account" },
    MQTT_PASSWORD: { type: 'string', description: "the service's broker password" },
    MQTT_CLIENT_ID: {
      type: 'string',
      description: 'keep it stable per instance: a restarted instance resumes its session',
      pattern: '^[A-Za-z0-9_.-]{1,64}$',
      default: `meetnet-ingestion-${hostname()}`.slice(0, 64),
      shownDefault: 'meetnet-ingestion-{hostname}',
    },
    MQTT_CA_FILE: {
      type: 'string',
      description: "CA that signed the broker's certificate (`mqtts://`); unset: the system's CAs",
      minLength: 1,
    },
    MQTT_SHARE_GROUP: {
      type: 'string',
      description:
        'set it (same value on every instance) to split the ingest over several instances with an MQTT 5 shared subscription; see “Running several instances”',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
    },
    // At least an hour, so a restart or a deploy never ends the session; a day by default.
    MQTT_SESSION_EXPIRY_S: {
      type: 'integer',
      description: 'how long the broker keeps the session (and queues) while the service is away (≥ 3600)',
      minimum: 3600,
      maximum: 4_294_967_295,
      default: 86_400,
    },
    MQTT_TAKE_OVER_SESSIONS: {
      type: 'string',
      description:
        "with `MQTT_SHARE_GROUP` and `REDIS_URL`: a surviving instance connects under a dead one's client id and takes in what the broker queues for it (Mosquitto keeps sending a dead member its share). Only where the broker lets an instance sign in under another's client id: never with Mosquitto's `use_username_as_clientid` (the shipped config), where it would take over its own session",
      enum: ['on', 'off'],
      default: 'off',
    },
    MQTT_DEAD_LETTER_PREFIX: {
      type: 'string',
      description: 'refused messages are published under `{prefix}/{reason}`',
      pattern: '^[^#+\\s]+[^/#+\\s]$',
      default: 'meetnet/_rejected',
    },
    MQTT_EMBEDDED_PORT: {
      type: 'integer',
      description: "the embedded broker's port (development, when `MQTT_URL` is unset)",
      minimum: 1,
      maximum: 65_535,
      default: 1883,
    },
    MQTT_MAX_PAYLOAD_BYTES: {
      type: 'integer',
      description: 'larger messages are refused (`too_large`) before they are parsed',
      minimum: 256,
      maximum: 1_048_576,
      default: 16_384,
    },
  },
  check: (env, { nodeEnv }) => {
    const problems: string[] = [];
    if (env.MQTT_CA_FILE !== undefined) {
      try {
        readFileSync(env.MQTT_CA_FILE);
      } catch (error) {
        problems.push(unreadable('MQTT_CA_FILE', env.MQTT_CA_FILE, error));
      }
    }
    if (nodeEnv === 'production' && !env.MQTT_URL) {
      problems.push('MQTT_URL=(unset): is required in production (the embedded broker has no accounts)');
    }
    return problems;
  },
  settings: (env) => ({
    /** Unset: an embedded Aedes broker serves on `embeddedPort`. */
    url: env.MQTT_URL,
    username: env.MQTT_USERNAME,
    password: env.MQTT_PASSWORD,
    clientId: env.MQTT_CLIENT_ID,
    /** PEM file of the CA that signed the broker's certificate (mqtts://); unset: the system's CAs. */
    caFile: env.MQTT_CA_FILE === undefined ? undefined : resolve(env.MQTT_CA_FILE),
    /**
     * MQTT 5 shared-subscription group, for several instances that split the ingest. Unset: a
     * plain subscription, which Mosquitto 2.0.11 keeps across its own restart (it drops `$share`
     * subscriptions, and with them every message published before the service re-subscribes).
     */
    shareGroup: env.MQTT_SHARE_GROUP,
    sessionExpiryS: env.MQTT_SESSION_EXPIRY_S,
    takeOverSessions: env.MQTT_TAKE_OVER_SESSIONS === 'on',
    deadLetterPrefix: env.MQTT_DEAD_LETTER_PREFIX,
    embeddedPort: env.MQTT_EMBEDDED_PORT,
    maxPayloadBytes: env.MQTT_MAX_PAYLOAD_BYTES,
  }),
});

export type MqttSettings = SettingsOf<typeof mqttConfig>;
