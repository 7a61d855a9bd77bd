import { BadRequestException } from '@nestjs/common';
import Ajv, { type JSONSchemaType } from 'ajv';
import { schemaMessage } from '../validation/schema-problem';

const ajv = new Ajv({ allErrors: false, strict: true });

/** A compiled schema for a request body: unknown properties are refused, not ignored. */
export function bodyValidator<T>(schema: JSONSchemaType<T>): (body: unknown) => T {
  const validate = ajv.compile<T>(schema);
  return (body) => {
    if (validate(body)) return body;
    throw new BadRequestException(
      `Invalid request body: ${schemaMessage(validate.errors?.[0], 'body', 'property')}`,
    );
  };
}
