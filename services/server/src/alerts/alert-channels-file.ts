import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { ALERT_RULE_ID_PATTERN } from '@meetnet/contracts';
import { schemaMessage } from '../validation/schema-problem';

interface ChannelBase {
  id: string;
  /** Events collected this many seconds and sent as one message; 0 sends each at once. */
  digestS?: number;
  /** Attempts before a delivery goes to the channel's dead letters. */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles, up to five minutes. */
  retryBaseMs?: number;
  /** Which episode events it hears of; by default only openings (one message per episode). */
  events?: ('opened' | 'closed')[];
}
export interface WebhookChannelConfig extends ChannelBase {
  kind: 'webhook';
  url: string;
  /** Signs each body (HMAC-SHA256) so the receiver can tell it is ours. */
  secret: string;
}
export interface EmailChannelConfig extends ChannelBase {
  kind: 'email';
  to: string[];
}
export type ChannelConfig = WebhookChannelConfig | EmailChannelConfig;

const base = {
  id: { type: 'string', pattern: ALERT_RULE_ID_PATTERN.source },
  digestS: { type: 'integer', minimum: 0, maximum: 86_400 },
  maxAttempts: { type: 'integer', minimum: 1, maximum: 50 },
  retryBaseMs: { type: 'integer', minimum: 10, maximum: 600_000 },
  events: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['opened', 'closed'] } },
} as const;

const validate = new Ajv({ strict: true, allErrors: false }).compile<{ channels: ChannelConfig[] }>({
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
            required: ['id', 'kind', 'url', 'secret'],
            properties: {
              ...base,
              kind: { const: 'webhook' },
              url: { type: 'string', pattern: '^https?://', maxLength: 2000 },
              secret: { type: 'string', minLength: 16, maxLength: 500 },
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
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  return twice.map((id) => `channel id ${id} is used twice`);
}

export function readChannelsFile(path: string | undefined): ChannelConfig[] {
  if (path === undefined) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { channels: ChannelConfig[] }).channels;
}
