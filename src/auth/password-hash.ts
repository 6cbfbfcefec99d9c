import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes for HTTP Basic users: `scrypt$<salt b64>$<hash b64>`. The scrypt cost is fixed (not
 * encoded in the string) so the format stays the one operators already paste into OSB_BASIC_AUTH_USERS.
 */
const PREFIX = 'scrypt';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// N=2^14, r=8: ~16 MiB and tens of milliseconds per check, OWASP's floor for scrypt.
const PARAMS = { N: 16384, r: 8, p: 1 } as const;

interface ParsedHash {
  salt: Buffer;
  hash: Buffer;
}

export function hashPassword(password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(password, salt, KEY_BYTES, PARAMS);
  return `${PREFIX}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Synchronous check, for scripts and tests; request paths use `verifyPasswordAsync` to keep the event loop free. */
export function verifyPassword(password: string, encoded: string): boolean {
  const parsed = parseHash(encoded);
  if (!parsed) {
    return false;
  }
  return timingSafeEqual(scryptSync(password, parsed.salt, parsed.hash.length, PARAMS), parsed.hash);
}

export async function verifyPasswordAsync(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) {
    return false;
  }
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, parsed.salt, parsed.hash.length, PARAMS, (err, key) => (err ? reject(err) : resolve(key))),
  );
  return timingSafeEqual(derived, parsed.hash);
}

export function isPasswordHash(encoded: string): boolean {
  return parseHash(encoded) !== undefined;
}

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 3 || parts[0] !== PREFIX) {
    return undefined;
  }
  const salt = Buffer.from(parts[1], 'base64');
  const hash = Buffer.from(parts[2], 'base64');
  if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
    return undefined;
  }
  return { salt, hash };
}
