import type { JsonSchema } from '../catalog.types';
import { SchemaValidator } from './schema-validator';

const schema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name', 'region'],
  _controlsOrder: ['name', 'region'],
  properties: {
    name: { type: 'string', pattern: '^[a-z]*$', minLength: 1, maxLength: 3 },
    region: { type: 'string', enum: ['a', 'b'], minLength: 1 },
    only: { type: 'string', enum: ['x'] },
    count: { type: 'integer', minimum: 3, maximum: 300 },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1, maxItems: 2 },
    strict: { type: 'object', additionalProperties: false, properties: { ok: { type: 'boolean' } } },
    choice: {
      type: 'object',
      oneOf: [
        { type: 'object', additionalProperties: false, properties: { a: { type: 'boolean' } } },
        { type: 'object', additionalProperties: false, properties: { b: { type: 'boolean' } } },
      ],
    },
  },
};

describe('SchemaValidator', () => {
  const validator = new SchemaValidator();
  const base = { name: 'ab', region: 'a' };

  it('accepts valid data and ignores the form hints', () => {
    expect(validator.firstViolation(schema, base)).toBeUndefined();
  });

  it.each([
    [{}, "at '': missing properties 'name', 'region'"],
    [{ name: 'ab' }, "at '': missing property 'region'"],
    [{ ...base, region: 'c' }, "at '/region': value must be one of 'a', 'b'"],
    [{ ...base, only: 'y' }, "at '/only': value must be 'x'"],
    [{ ...base, name: 7 }, "at '/name': got number, want string"],
    [{ ...base, count: '5' }, "at '/count': got string, want integer"],
    [{ ...base, count: 5.5 }, "at '/count': got number, want integer"],
    [{ ...base, count: null }, "at '/count': got null, want integer"],
    [{ ...base, count: 2 }, "at '/count': minimum: got 2, want 3"],
    [{ ...base, count: 301 }, "at '/count': maximum: got 301, want 300"],
    [{ ...base, name: '' }, "at '/name': minLength: got 0, want 1"],
    [{ ...base, name: 'abcd' }, "at '/name': maxLength: got 4, want 3"],
    [{ ...base, name: 'A' }, "at '/name': 'A' does not match pattern '^[a-z]*$'"],
    [{ ...base, tags: [] }, "at '/tags': minItems: got 0, want 1"],
    [{ ...base, tags: ['a', 'b', 'c'] }, "at '/tags': maxItems: got 3, want 2"],
    [{ ...base, tags: ['a', 'a'] }, "at '/tags': items at 0 and 1 are equal"],
    [{ ...base, tags: [1] }, "at '/tags/0': got number, want string"],
    [{ ...base, strict: { x: 1, y: 2 } }, "at '/strict': additional properties 'x', 'y' not allowed"],
    [{ ...base, choice: {} }, "at '/choice': oneOf failed, subschemas 0, 1 matched"],
    [{ ...base, choice: { c: true } }, "at '/choice': oneOf failed, none matched"],
    ['text', "at '': got string, want object"],
  ])('words %j as jsonschema v6 does', (data, message) => {
    expect(validator.firstViolation(schema, data)).toBe(message);
  });

  it('counts characters, not UTF-16 units, for string lengths', () => {
    expect(validator.firstViolation(schema, { ...base, name: '😀😀😀😀' })).toMatch(/maxLength: got 4, want 3/);
  });

  it('compiles a schema once', () => {
    validator.prepare(schema);
    const { ajv } = validator as unknown as { ajv: { compile: (schema: unknown) => unknown } };
    const spy = jest.spyOn(ajv, 'compile');
    validator.firstViolation(schema, base);
    validator.firstViolation(schema, base);
    expect(spy).not.toHaveBeenCalled();
  });
});
