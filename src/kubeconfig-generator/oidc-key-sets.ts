import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, JWTVerifyGetKey } from 'jose';

const DISCOVERY_TTL_MS = 10 * 60 * 1000;

/**
 * JWKS per OIDC issuer, found through the issuer's discovery document and cached (jose caches and
 * refreshes the keys themselves). Only issuers a runtime trusts are ever fetched.
 */
@Injectable()
export class OidcKeySets {
  private readonly byIssuer = new Map<string, { fetchedAt: number; keys: Promise<JWTVerifyGetKey> }>();

  keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const cached = this.byIssuer.get(issuer);
    if (cached && Date.now() - cached.fetchedAt < DISCOVERY_TTL_MS) {
      return cached.keys;
    }
    const keys = this.discover(issuer);
    this.byIssuer.set(issuer, { fetchedAt: Date.now(), keys });
    keys.catch(() => this.byIssuer.delete(issuer));
    return keys;
  }

  private async discover(issuer: string): Promise<JWTVerifyGetKey> {
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) {
      throw new Error(`OIDC discovery at ${url} answered ${res.status}`);
    }
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // OIDC Discovery §4.3: the document must name the issuer it was fetched for (as go-oidc checks).
    if (doc.issuer !== issuer) {
      throw new Error(`OIDC discovery at ${url} names another issuer`);
    }
    if (typeof doc.jwks_uri !== 'string') {
      throw new Error(`OIDC discovery at ${url} has no jwks_uri`);
    }
    return createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }
}
