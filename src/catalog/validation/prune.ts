import type { JsonSchema } from '../catalog.types';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keeps only the properties a schema declares, recursively. KEB reads parameters into typed structs, so
 * properties outside the schema are accepted (unless rejectUnsupportedParameters) but never stored or used.
 * Objects whose shape is chosen by `oneOf` are left as they are: every branch forbids unknown properties.
 */
export function pruneToSchema(value: unknown, schema: JsonSchema): unknown {
  if (Array.isArray(value)) {
    return isObject(schema.items) ? value.map((item) => pruneToSchema(item, schema.items as JsonSchema)) : value;
  }
  if (!isObject(value) || !isObject(schema.properties)) {
    return value;
  }
  const declared = schema.properties as Record<string, JsonSchema>;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (Object.hasOwn(declared, key)) {
      kept[key] = pruneToSchema(item, declared[key]);
    }
  }
  return kept;
}
