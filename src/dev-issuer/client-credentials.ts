import { createHash, timingSafeEqual } from 'node:crypto';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Client authentication as UAA takes it: HTTP Basic or client_id/client_secret in the body (Basic wins
 * when both are sent). RFC 6749 §2.3.1 wants Basic parts form-urlencoded before base64 (Go's oauth2
 * does that) while `curl -u` sends them raw, so both readings are returned when they differ.
 */
export function clientCredentialsOf(
  authorization: string | undefined,
  body: { client_id?: string; client_secret?: string },
): ClientCredentials[] | 'malformed' | undefined {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      return 'malformed';
    }
    const raw = { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
    const unescaped = { clientId: formDecode(raw.clientId), clientSecret: formDecode(raw.clientSecret) };
    const same = unescaped.clientId === raw.clientId && unescaped.clientSecret === raw.clientSecret;
    return same ? [raw] : [raw, unescaped];
  }
  if (body.client_id && body.client_secret !== undefined) {
    return [{ clientId: body.client_id, clientSecret: body.client_secret }];
  }
  return undefined;
}

/**
 * Constant-time string comparison: both sides are hashed first, so neither the content nor the length
 * of a secret leaks through timing (timingSafeEqual itself needs equal lengths).
 */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
