import type { ErrorObject } from 'ajv';
import type { RejectReason } from '../reject-reasons';

export interface SchemaRejection {
  reason: RejectReason;
  detail: string;
}

/** Maps the first Ajv error to a reject reason a person can act on. */
export function rejectionFromSchemaErrors(
  errors: readonly ErrorObject[] | null | undefined,
): SchemaRejection {
  const error = errors?.[0];
  if (!error) return { reason: 'wrong_type', detail: 'payload does not match the schema' };
  const where = error.instancePath || '/';
  if (where === '/ts' || where.startsWith('/ts/')) {
    return {
      reason: 'invalid_timestamp',
      detail: 'ts must be ISO 8601 with an offset or epoch milliseconds',
    };
  }
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        reason: 'unknown_field',
        detail: `unknown field "${String(error.params['additionalProperty'])}"`,
      };
    case 'required':
      return {
        reason: 'missing_field',
        detail: `missing field "${String(error.params['missingProperty'])}"`,
      };
    case 'minProperties':
      return { reason: 'missing_field', detail: 'no measurement in the message' };
    case 'minimum':
    case 'maximum':
      return { reason: 'out_of_range', detail: `${where} ${error.message ?? 'is out of range'}` };
    default:
      return { reason: 'wrong_type', detail: `${where} ${error.message ?? 'has the wrong type'}` };
  }
}
