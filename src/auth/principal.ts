import type { Request } from 'express';
import type { JWTPayload } from 'jose';

/**
 * Who called, as the auth guard established it. Tenancy follows SAP XSUAA/UAA access tokens:
 * `ext_attr.subaccountid` (falling back to `zid`, the identity zone = subaccount tenant) and
 * `ext_attr.globalaccountid`; the dev issuer writes exactly these claims.
 */
export interface Principal {
  /** `sub` of the token (the client id for client_credentials tokens), or the Basic user name. */
  subject: string;
  /** `client_id`, `cid` or `azp`, in that order. */
  clientId?: string;
  scopes: string[];
  globalAccountId?: string;
  subaccountId?: string;
  email?: string;
  authenticatedBy: 'bearer' | 'basic';
  /** Verified claims (empty for Basic); never log them wholesale. */
  claims: Readonly<JWTPayload>;
}

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Scopes from `scope` (UAA: array, or an RFC 6749 space-separated string) and `scp` (KEB/Istio style). */
export function scopesOf(claims: JWTPayload): string[] {
  const found = [...asList(claims.scope), ...asList(claims.scp)];
  return [...new Set(found)];
}

export function principalFromClaims(claims: JWTPayload): Principal {
  const ext = isRecord(claims.ext_attr) ? claims.ext_attr : {};
  const clientId = str(claims.client_id) ?? str(claims.cid) ?? str(claims.azp);
  return {
    subject: str(claims.sub) ?? clientId ?? 'unknown',
    clientId,
    scopes: scopesOf(claims),
    globalAccountId: str(ext.globalaccountid),
    subaccountId: str(ext.subaccountid) ?? str(claims.zid),
    email: str(claims.email),
    authenticatedBy: 'bearer',
    claims,
  };
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.split(/\s+/).filter(Boolean);
  }
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
  }
  return [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
