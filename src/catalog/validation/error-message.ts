import type { ErrorObject } from 'ajv-draft-04';
import { display, goNumber, jsonTypeOf, quote } from './go-format';

/**
 * Renders an ajv error the way KEB's validator (santhosh-tekuri/jsonschema v6) words it, e.g.
 * `at '/region': value must be 'eu-central-1'`, `at '': missing property 'name'`,
 * `at '/autoScalerMin': got string, want integer`. Needs ajv's `verbose` (data and schema on the error).
 */
export function describeError(error: ErrorObject): string {
  return `at ${quote(error.instancePath)}: ${detail(error)}`;
}

function missingProperties(error: ErrorObject): string {
  const required = Array.isArray(error.schema) ? (error.schema as string[]) : [];
  const data = (error.data ?? {}) as Record<string, unknown>;
  const missing = required.filter((p) => !Object.hasOwn(data, p));
  const names = missing.length > 0 ? missing : [String(error.params.missingProperty)];
  return names.length === 1
    ? `missing property ${quote(names[0])}`
    : `missing properties ${names.map(quote).join(', ')}`;
}

/** v6 lists every undeclared property; ajv stops at the first, so they are collected here. */
function additionalProperties(error: ErrorObject): string {
  const parent = (error.parentSchema ?? {}) as { properties?: Record<string, unknown> };
  const declared = parent.properties ?? {};
  const data = (error.data ?? {}) as Record<string, unknown>;
  const extra = Object.keys(data).filter((key) => !Object.hasOwn(declared, key));
  const names = extra.length > 0 ? extra : [String(error.params.additionalProperty)];
  return `additional properties ${names.map(quote).join(', ')} not allowed`;
}

function enumMismatch(error: ErrorObject): string {
  const allowed = (error.params.allowedValues ?? []) as unknown[];
  if (allowed.some((v) => typeof v === 'object' && v !== null)) {
    return 'enum failed';
  }
  return allowed.length === 1
    ? `value must be ${display(allowed[0])}`
    : `value must be one of ${allowed.map(display).join(', ')}`;
}

function oneOfMismatch(error: ErrorObject): string {
  const passing = error.params.passingSchemas as number[] | null;
  return passing ? `oneOf failed, subschemas ${passing[0]}, ${passing[1]} matched` : 'oneOf failed, none matched';
}

function detail(error: ErrorObject): string {
  const data: unknown = error.data;
  const limit = error.params.limit as number;
  switch (error.keyword) {
    case 'required':
      return missingProperties(error);
    case 'type':
      return `got ${jsonTypeOf(data)}, want ${String(error.params.type).split(',').join(' or ')}`;
    case 'enum':
      return enumMismatch(error);
    case 'minimum':
    case 'maximum':
      return `${error.keyword}: got ${goNumber(data as number)}, want ${goNumber(limit)}`;
    case 'minLength':
    case 'maxLength':
      // Characters, not UTF-16 units, like Go's utf8.RuneCount.
      return `${error.keyword}: got ${[...(data as string)].length}, want ${limit}`;
    case 'minItems':
    case 'maxItems':
      return `${error.keyword}: got ${(data as unknown[]).length}, want ${limit}`;
    case 'pattern':
      return `${quote(data as string)} does not match pattern ${quote(String(error.params.pattern))}`;
    case 'additionalProperties':
      return additionalProperties(error);
    case 'uniqueItems': {
      const { i, j } = error.params as { i: number; j: number };
      return `items at ${Math.min(i, j)} and ${Math.max(i, j)} are equal`;
    }
    case 'oneOf':
      return oneOfMismatch(error);
    case 'anyOf':
      return 'anyOf failed';
    case 'not':
      return 'not failed';
    default:
      return error.message ?? `${error.keyword} failed`;
  }
}
