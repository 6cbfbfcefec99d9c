/** The SQLSTATE of a PostgreSQL error, as surfaced by node-postgres directly or wrapped by TypeORM. */
function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: string; driverError?: { code?: string } } | null | undefined;
  return e?.driverError?.code ?? e?.code;
}

/** PostgreSQL unique_violation. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlStateOf(err) === '23505';
}

/**
 * PostgreSQL refusing a value a client sent (a NUL byte in text, an untranslatable character): the request
 * is at fault, so it is a 400, not a 500. Codes: 22021 character_not_in_repertoire, 22P05
 * untranslatable_character.
 */
export function isUnstorableInput(err: unknown): boolean {
  const code = sqlStateOf(err);
  return code === '22021' || code === '22P05';
}

const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
/** SQLSTATEs of a server that is going away or turning clients away (not of a bad query). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-postgres and pg-pool report lost or impossible connections with these messages (no code). */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|not currently accepting connections|Connection is closed/i;

/**
 * The database cannot be reached right now (connection refused, reset or timed out, the server shutting
 * down, terminating our sessions or refusing connections): a 503 the platform retries, not a 500.
 * Looks through TypeORM's `driverError`, `cause` and AggregateError's `errors`.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) {
    return false;
  }
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) {
    return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) {
    return true;
  }
  const nested = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return nested.some((inner) => inner !== err && isDatabaseUnavailable(inner, depth + 1));
}
