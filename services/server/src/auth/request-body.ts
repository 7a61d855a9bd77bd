import { BadRequestException } from '@nestjs/common';
import Ajv, { type JSONSchemaType } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: true });

/** A compiled schema for a request body: unknown properties are refused, not ignored. */
export function bodyValidator<T>(schema: JSONSchemaType<T>): (body: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (body) => {
    if (validate(body)) return body;
    const error = validate.errors?.[0];
    const where = error?.instancePath ? `${error.instancePath.slice(1)} ` : '';
    const detail =
      error?.keyword === 'additionalProperties'
        ? `unknown property "${String(error.params['additionalProperty'])}"`
        : `${where}${error?.message ?? 'is invalid'}`;
    throw new BadRequestException(`Invalid request body: ${detail}`);
  };
}
