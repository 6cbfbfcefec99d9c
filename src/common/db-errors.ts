/** PostgreSQL unique_violation, as surfaced by node-postgres through TypeORM. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

/**
 * PostgreSQL refusing a value a client sent (a NUL byte in text, an untranslatable character): the request
 * is at fault, so it is a 400, not a 500. Codes: 22021 character_not_in_repertoire, 22P05
 * untranslatable_character.
 */
export function isUnstorableInput(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === '22021' || code === '22P05';
}
