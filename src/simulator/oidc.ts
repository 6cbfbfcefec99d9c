import { createRemoteJWKSet, decodeJwt, jwtVerify, JWTVerifyGetKey } from 'jose';
import type { SimulatorClock } from './clock';
import { asString, asStrings, dig, isRecord } from './json';
import type { TokenValidation } from './sa-tokens';

/**
 * OIDC ID-token authentication as kube-apiserver's --oidc-* flags configure it, fed from a shoot's
 * spec.kubernetes.kubeAPIServer.oidcConfig (Gardener's field names).
 */
export interface OidcConfig {
  issuerURL: string;
  clientID: string;
  usernameClaim?: string;
  usernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
  signingAlgs?: string[];
  requiredClaims?: Record<string, string>;
}

/** The shoot's OIDC settings, or undefined when it has none (an empty issuer or client id means none). */
export function oidcConfigOf(shoot: unknown): OidcConfig | undefined {
  const c = dig(shoot, 'spec', 'kubernetes', 'kubeAPIServer', 'oidcConfig');
  const issuerURL = asString(dig(c, 'issuerURL'));
  const clientID = asString(dig(c, 'clientID'));
  if (!isRecord(c) || !issuerURL || !clientID) {
    return undefined;
  }
  const required = dig(c, 'requiredClaims');
  return {
    issuerURL,
    clientID,
    usernameClaim: asString(c.usernameClaim),
    usernamePrefix: asString(c.usernamePrefix),
    groupsClaim: asString(c.groupsClaim),
    groupsPrefix: asString(c.groupsPrefix),
    signingAlgs: c.signingAlgs === undefined ? undefined : asStrings(c.signingAlgs),
    requiredClaims: isRecord(required)
      ? Object.fromEntries(Object.entries(required).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : undefined,
  };
}

const DISCOVERY_TTL_MS = 10 * 60 * 1000;

/** Where an authenticator gets an issuer's keys (a seam, so unit tests need no HTTP). */
export interface OidcKeySource {
  keysFor(issuerURL: string): Promise<JWTVerifyGetKey>;
}

/**
 * Key sets per issuer, found through the issuer's discovery document, shared by all runtimes of a
 * landscape (they usually trust the same issuer). jose caches and rotates the keys themselves; a failed
 * discovery is forgotten so the next token retries it.
 */
export class OidcKeySets implements OidcKeySource {
  private readonly byIssuer = new Map<string, { at: number; keys: Promise<JWTVerifyGetKey> }>();

  keysFor(issuerURL: string): Promise<JWTVerifyGetKey> {
    const cached = this.byIssuer.get(issuerURL);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) {
      return cached.keys;
    }
    const keys = this.discover(issuerURL);
    this.byIssuer.set(issuerURL, { at: Date.now(), keys });
    keys.catch(() => this.byIssuer.delete(issuerURL));
    return keys;
  }

  private async discover(issuerURL: string): Promise<JWTVerifyGetKey> {
    const url = `${issuerURL.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) {
      throw new Error(`OIDC discovery at ${url} answered ${res.status}`);
    }
    const doc: unknown = await res.json();
    // go-oidc refuses a provider whose discovery document names another issuer.
    if (dig(doc, 'issuer') !== issuerURL) {
      throw new Error(`oidc: issuer did not match the issuer returned by provider`);
    }
    const jwksUri = asString(dig(doc, 'jwks_uri'));
    if (!jwksUri) {
      throw new Error(`OIDC discovery at ${url} has no jwks_uri`);
    }
    return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }
}

/** The username prefix kube-apiserver applies: `-` disables it; unset means `<issuer>#` except for `email`. */
export function usernamePrefixFor(config: OidcConfig): string {
  const claim = config.usernameClaim || 'sub';
  if (config.usernamePrefix === '-') {
    return '';
  }
  if (config.usernamePrefix) {
    return config.usernamePrefix;
  }
  return claim === 'email' ? '' : `${config.issuerURL}#`;
}

export class OidcAuthenticator {
  constructor(
    readonly config: OidcConfig,
    private readonly keySets: OidcKeySource,
    private readonly clock: SimulatorClock,
  ) {}

  /** Cheap pre-check: only tokens naming this issuer are tried (the union authenticator's behaviour). */
  isOurs(token: string): boolean {
    try {
      return decodeJwt(token).iss === this.config.issuerURL;
    } catch {
      return false;
    }
  }

  async authenticate(token: string): Promise<TokenValidation> {
    const c = this.config;
    let payload: Record<string, unknown>;
    try {
      const keys = await this.keySets.keysFor(c.issuerURL);
      ({ payload } = await jwtVerify(token, keys, {
        issuer: c.issuerURL,
        audience: c.clientID,
        algorithms: c.signingAlgs?.length ? c.signingAlgs : ['RS256'],
        currentDate: this.clock.now(),
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      return { ok: false, reason: `oidc: verify token: ${(err as Error).message}` };
    }
    const claim = c.usernameClaim || 'sub';
    const value = payload[claim];
    if (typeof value !== 'string' || value === '') {
      return { ok: false, reason: `oidc: parse username claims "${claim}": claim not present` };
    }
    if (claim === 'email' && payload.email_verified !== undefined && payload.email_verified !== true) {
      return { ok: false, reason: `oidc: email not verified` };
    }
    for (const [key, expected] of Object.entries(c.requiredClaims ?? {})) {
      if (payload[key] !== expected) {
        return { ok: false, reason: `oidc: required claim ${key} value does not match` };
      }
    }
    const rawGroups = c.groupsClaim ? payload[c.groupsClaim] : undefined;
    const groups = typeof rawGroups === 'string' ? [rawGroups] : asStrings(rawGroups);
    return {
      ok: true,
      user: {
        username: `${usernamePrefixFor(c)}${value}`,
        groups: [...groups.map((g) => `${c.groupsPrefix ?? ''}${g}`), 'system:authenticated'],
        extra: {},
      },
    };
  }
}
