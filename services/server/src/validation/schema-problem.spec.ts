import Ajv from 'ajv';
import { schemaMessage, schemaProblem } from './schema-problem';

const validate = new Ajv({ strict: true }).compile({
  type: 'object',
  additionalProperties: false,
  required: ['sensor'],
  properties: {
    sensor: { type: 'array', maxItems: 2, items: { type: 'string', maxLength: 3 } },
    window: { type: 'string', enum: ['1h', '1d'] },
    port: { type: 'integer', maximum: 10 },
  },
});

function messageFor(input: unknown, unknown?: 'parameter' | 'property'): string {
  expect(validate(input)).toBe(false);
  return schemaMessage(validate.errors?.[0], 'query', unknown);
}

describe('schemaMessage', () => {
  it('names a missing parameter', () => {
    expect(messageFor({})).toBe('sensor: is required');
  });

  it('names an unknown parameter, or property in a body', () => {
    expect(messageFor({ sensor: [], limit: 5 })).toBe('limit: unknown parameter');
    expect(messageFor({ sensor: [], role: 'admin' }, 'property')).toBe('role: unknown property');
  });

  it('lists the allowed values of an enum', () => {
    expect(messageFor({ sensor: [], window: '2h' })).toBe('window: must be one of 1h, 1d');
  });

  it('gives a list its limit and an item its place', () => {
    expect(messageFor({ sensor: ['a', 'b', 'c'] })).toBe('sensor: at most 2');
    expect(messageFor({ sensor: ['a', 'toolong'] })).toBe('sensor/1: must NOT have more than 3 characters');
  });

  it("keeps Ajv's own words for bounds and types", () => {
    expect(messageFor({ sensor: [], port: 11 })).toBe('port: must be <= 10');
  });

  it('falls back to the name it is given when there is no error', () => {
    expect(schemaProblem(undefined, 'export')).toEqual({ name: 'export', reason: 'is invalid' });
  });
});
