import type { ErrorObject } from 'ajv';

/** An Ajv error said the way every Meetnet refusal says it: what to fix, and why. */
export interface SchemaProblem {
  /** The parameter, property or variable, such as `window`, `sensor/3` or `HTTP_PORT`. */
  name: string;
  reason: string;
}

/**
 * The first of a schema's errors in words (Ajv stops at the first unless told otherwise).
 * `unknown` names what an additional property is called where it was sent: a query has
 * parameters, a body has properties.
 */
export function schemaProblem(
  error: ErrorObject | undefined,
  fallbackName: string,
  unknown: 'parameter' | 'property' = 'parameter',
): SchemaProblem {
  if (!error) return { name: fallbackName, reason: 'is invalid' };
  const named = error.params as Record<string, unknown>;
  const name =
    error.keyword === 'required'
      ? String(named['missingProperty'])
      : error.keyword === 'additionalProperties'
        ? String(named['additionalProperty'])
        : error.instancePath.slice(1) || fallbackName;
  return { name, reason: reasonOf(error, unknown) };
}

/** `name: reason`, the form of every 400 the API sends for a bad parameter. */
export function schemaMessage(
  error: ErrorObject | undefined,
  fallbackName: string,
  unknown: 'parameter' | 'property' = 'parameter',
): string {
  const { name, reason } = schemaProblem(error, fallbackName, unknown);
  return `${name}: ${reason}`;
}

function reasonOf(error: ErrorObject, unknown: 'parameter' | 'property'): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return `unknown ${unknown}`;
    case 'enum':
      return `must be one of ${(error.params['allowedValues'] as unknown[]).join(', ')}`;
    case 'maxItems':
      return `at most ${String(error.params['limit'])}`;
    default:
      return error.message ?? 'is invalid';
  }
}
