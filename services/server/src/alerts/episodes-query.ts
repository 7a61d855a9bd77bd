import { BadRequestException } from '@nestjs/common';
import Ajv from 'ajv';
import { ALERT_ID_PATTERN } from '@meetnet/contracts';
import { schemaMessage } from '../validation/schema-problem';

export interface EpisodesQuery {
  state?: 'open' | 'all';
  from?: string;
  to?: string;
  rule?: string;
  format?: 'json' | 'csv';
}

const EPISODES_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: ['open', 'all'] },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    rule: { type: 'string', pattern: ALERT_ID_PATTERN.source },
    format: { type: 'string', enum: ['json', 'csv'] },
  },
} as const;

export const EPISODES_QUERY_PARAMETERS = Object.keys(EPISODES_QUERY_SCHEMA.properties);

const ajv = new Ajv({ strict: true });
ajv.addFormat(
  'date-time',
  (text: string) => !Number.isNaN(Date.parse(text)) && /^\d{4}-\d{2}-\d{2}T/.test(text),
);
const validate = ajv.compile<EpisodesQuery>(EPISODES_QUERY_SCHEMA);

/** History reaches this far in one request: a year of episodes is small, more is an export job. */
export const EPISODES_MAX_RANGE_MS = 400 * 86_400_000;

export function parseEpisodesQuery(
  input: unknown,
  now = Date.now(),
): Required<Pick<EpisodesQuery, 'state' | 'format'>> & {
  from: number;
  to: number;
  rule?: string;
} {
  if (!validate(input)) throw new BadRequestException(schemaMessage(validate.errors?.[0], 'query'));
  const to = input.to ? Date.parse(input.to) : now + 1;
  const from = input.from ? Date.parse(input.from) : to - 30 * 86_400_000;
  if (from >= to)
    throw new BadRequestException(`from (${input.from}) must be before to (${input.to ?? 'now'})`);
  if (to - from > EPISODES_MAX_RANGE_MS) throw new BadRequestException('from–to spans more than 400 days');
  return {
    state: input.state ?? 'open',
    format: input.format ?? 'json',
    from,
    to,
    ...(input.rule ? { rule: input.rule } : {}),
  };
}
