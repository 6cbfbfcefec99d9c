import { BadRequestError } from '../common/domain-errors';

export interface OriginatingIdentity {
  platform: string;
  /** The user the platform acted for: CF `user_id`, Kubernetes `username`. */
  user: string;
}

/** Parses `X-Broker-API-Originating-Identity: <platform> <base64 JSON>` (OSB spec, Headers). */
export function parseOriginatingIdentity(header: string | string[] | undefined): OriginatingIdentity | undefined {
  if (header === undefined || header === '') {
    return undefined;
  }
  const value = Array.isArray(header) ? header[0] : header;
  const invalid = () =>
    new BadRequestError('X-Broker-API-Originating-Identity must be "<platform> <base64-encoded JSON object>"');
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 2 || !parts[0]) {
    throw invalid();
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(parts[1], 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw invalid();
  }
  const props = decoded as Record<string, unknown>;
  const user = [props.user_id, props.username, props.email].find((v): v is string => typeof v === 'string' && v !== '');
  return { platform: parts[0], user: user ?? '' };
}
