import { BadRequestException } from '@nestjs/common';
import Ajv from 'ajv';
import {
  DOMAINS,
  type Domain,
  HEALTH_STATUSES,
  type HealthStatus,
  type Problem,
  PROBLEMS,
} from '@meetnet/contracts';
import { schemaMessage } from '../validation/schema-problem';

export interface HealthQuery {
  status?: HealthStatus;
  domain?: Domain;
  problem?: Problem;
}

const HEALTH_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...HEALTH_STATUSES] },
    domain: { type: 'string', enum: [...DOMAINS] },
    problem: { type: 'string', enum: [...PROBLEMS] },
  },
} as const;

/** The fleet list's filters. */
export const HEALTH_QUERY_PARAMETERS = Object.keys(HEALTH_QUERY_SCHEMA.properties);

const validate = new Ajv({ strict: true }).compile<HealthQuery>(HEALTH_QUERY_SCHEMA);

/** The list's filters; anything else is a 400 that names it. */
export function parseHealthQuery(input: unknown): HealthQuery {
  if (validate(input)) return input;
  throw new BadRequestException(schemaMessage(validate.errors?.[0], 'query'));
}
