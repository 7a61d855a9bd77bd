import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Ajv from 'ajv';
import { ALERT_ID_PATTERN } from '@meetnet/contracts';
import { schemaMessage } from '../validation/schema-problem';

interface ChannelBase {
  id: string;
  /** Events collected this many seconds and sent as one message; 0 sends each at once. */
  digestS?: number;
  /** Attempts before a delivery goes to the channel's dead letters. */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles, up to five minutes. */
  retryBaseMs?: number;
  /** Deliveries waiting (sending or to be retried) beyond which new ones are dead letters at once. */
  maxPending?: number;
  /** Which episode events it hears of; by default only openings (one message per episode). */
  events?: ('opened' | 'closed')[];
}
interface WebhookChannelEntry extends ChannelBase {
  kind: 'webhook';
  url: string;
  /** The file holding the secret that signs each body (HMAC-SHA256), beside the channels file or absolute. */
  secretFile: string;
}
export interface WebhookChannelConfig extends Omit<WebhookChannelEntry, 'secretFile'> {
  secret: string;
}
export interface EmailChannelConfig extends ChannelBase {
  kind: 'email';
  to: string[];
}
export type ChannelConfig = WebhookChannelConfig | EmailChannelConfig;
type ChannelEntry = WebhookChannelEntry | EmailChannelConfig;

const MIN_SECRET_LENGTH = 16;

const base = {
  id: { type: 'string', pattern: ALERT_ID_PATTERN.source },
  digestS: { type: 'integer', minimum: 0, maximum: 86_400 },
  maxAttempts: { type: 'integer', minimum: 1, maximum: 50 },
  retryBaseMs: { type: 'integer', minimum: 10, maximum: 600_000 },
  maxPending: { type: 'integer', minimum: 1, maximum: 100_000 },
  events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['opened', 'closed'] } },
} as const;

const validate = new Ajv({ strict: true, allErrors: false }).compile<{ channels: ChannelEntry[] }>({
  type: 'object',
  additionalProperties: false,
  required: ['channels'],
  properties: {
    channels: {
      type: 'array',
      maxItems: 100,
      items: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'kind', 'url', 'secretFile'],
            properties: {
              ...base,
              kind: { const: 'webhook' },
              url: { type: 'string', pattern: '^https?://', maxLength: 2000 },
              secretFile: { type: 'string', minLength: 1, maxLength: 1000 },
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'kind', 'to'],
            properties: {
              ...base,
              kind: { const: 'email' },
              to: {
                type: 'array',
                minItems: 1,
                maxItems: 100,
                items: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320 },
              },
            },
          },
        ],
      },
    },
  },
});

/** The problems of a channels file, each naming where; empty when it is sound. */
export function channelsFileProblems(path: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return [`cannot be read as JSON: ${(error as Error).message}`];
  }
  if (!validate(parsed)) return [schemaMessage(validate.errors?.[0], 'file', 'property')];
  const ids = parsed.channels.map((c) => c.id);
  const problems = ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `channel id ${id} is used twice`);
  for (const channel of parsed.channels) {
    if (channel.kind !== 'webhook') continue;
    try {
      if (secretOf(path, channel.secretFile).length < MIN_SECRET_LENGTH) {
        problems.push(`channel ${channel.id}: its secret is shorter than ${MIN_SECRET_LENGTH} characters`);
      }
    } catch (error) {
      problems.push(
        `channel ${channel.id}: secretFile ${channel.secretFile} cannot be read: ${(error as Error).message}`,
      );
    }
  }
  return problems;
}

/** Secrets live in files of their own (as Docker and Kubernetes mount them), never in the list. */
function secretOf(channelsFile: string, secretFile: string): string {
  return readFileSync(resolve(dirname(channelsFile), secretFile), 'utf8').trim();
}

export function readChannelsFile(path: string | undefined): ChannelConfig[] {
  if (path === undefined) return [];
  const entries = (JSON.parse(readFileSync(path, 'utf8')) as { channels: ChannelEntry[] }).channels;
  return entries.map((entry) => {
    if (entry.kind !== 'webhook') return entry;
    const { secretFile, ...rest } = entry;
    return { ...rest, secret: secretOf(path, secretFile) };
  });
}
