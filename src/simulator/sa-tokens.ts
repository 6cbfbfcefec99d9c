import { createHash, randomUUID, webcrypto } from 'node:crypto';
import { compactVerify, decodeJwt, SignJWT } from 'jose';
import type { SimulatorClock } from './clock';
import { asString, dig, isRecord, JsonObject } from './json';
import { createTokenSigningKey, KeyPair } from './pki';
import type { UserInfo } from './rbac';

/** kube-apiserver's default --service-account-issuer (and so the default audience) on Gardener shoots. */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

export interface IssueRequest {
  namespace: string;
  name: string;
  uid: string;
  audiences: string[];
  expirationSeconds: number;
  bound?: BoundObject;
}

export interface IssuedToken {
  token: string;
  issuedAt: Date;
  expiresAt: Date;
  claims: JsonObject;
}

/** What validation needs to know about the cluster right now (objects may have been deleted since issue). */
export interface TokenSubjects {
  serviceAccount(namespace: string, name: string): { uid?: string; deletionTimestamp?: string } | undefined;
  boundObject(kind: string, namespace: string, name: string): { uid?: string } | undefined;
}

export type TokenValidation = { ok: true; user: UserInfo } | { ok: false; reason: string };

const SIGNATURE_CACHE_LIMIT = 10_000;

/**
 * Issues and validates service-account JWTs exactly as kube-apiserver's serviceaccount token
 * authenticator does (pkg/serviceaccount/jwt.go and claims.go). Validity is judged with the injected
 * clock; the ServiceAccount is looked up on every request, so deleting it revokes its tokens at once.
 */
export class ServiceAccountTokens {
  /** Signature checks are the expensive part and never change for a given token, so they are cached. */
  private readonly verified = new Map<string, JsonObject>();

  private constructor(
    private readonly keys: KeyPair,
    readonly keyId: string,
    private readonly clock: SimulatorClock,
    readonly issuer: string,
    readonly audiences: string[],
    private readonly leewaySeconds: number,
  ) {}

  static async create(opts: {
    clock: SimulatorClock;
    issuer?: string;
    audiences?: string[];
    leewaySeconds?: number;
    keys?: KeyPair;
  }): Promise<ServiceAccountTokens> {
    const keys = opts.keys ?? (await createTokenSigningKey());
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    // kube derives the key id from the public key: base64url(SHA-256(DER SubjectPublicKeyInfo)).
    const keyId = createHash('sha256').update(spki).digest('base64url');
    const issuer = opts.issuer ?? DEFAULT_ISSUER;
    return new ServiceAccountTokens(
      keys,
      keyId,
      opts.clock,
      issuer,
      opts.audiences ?? [issuer],
      opts.leewaySeconds ?? 0,
    );
  }

  /** Whether a JWT claims to come from this issuer (the union authenticator skips tokens that do not). */
  isOurs(token: string): boolean {
    try {
      return decodeJwt(token).iss === this.issuer;
    } catch {
      return false;
    }
  }

  async issue(req: IssueRequest): Promise<IssuedToken> {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + req.expirationSeconds;
    const kubernetes: JsonObject = {
      namespace: req.namespace,
      serviceaccount: { name: req.name, uid: req.uid },
    };
    if (req.bound) {
      kubernetes[req.bound.kind.toLowerCase()] = { name: req.bound.name, uid: req.bound.uid };
    }
    const claims: JsonObject = {
      aud: req.audiences,
      exp,
      iat,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': kubernetes,
      nbf: iat,
      sub: `system:serviceaccount:${req.namespace}:${req.name}`,
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.keyId })
      .sign(this.keys.privateKey);
    return { token, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000), claims };
  }

  private async verifySignature(token: string): Promise<JsonObject | undefined> {
    const cached = this.verified.get(token);
    if (cached) {
      return cached;
    }
    try {
      const { payload } = await compactVerify(token, this.keys.publicKey, { algorithms: ['RS256'] });
      const claims: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
      if (!isRecord(claims)) {
        return undefined;
      }
      if (this.verified.size >= SIGNATURE_CACHE_LIMIT) {
        this.verified.delete(this.verified.keys().next().value as string);
      }
      this.verified.set(token, claims);
      return claims;
    } catch {
      return undefined;
    }
  }

  /** Validates a token; failure reasons use kube-apiserver's log wording (clients only ever see 401). */
  async validate(token: string, subjects: TokenSubjects): Promise<TokenValidation> {
    const claims = await this.verifySignature(token);
    if (!claims) {
      return { ok: false, reason: 'invalid signature' };
    }
    if (claims.iss !== this.issuer) {
      return { ok: false, reason: `token issuer "${String(claims.iss)}" is not trusted` };
    }
    const now = this.clock.now().getTime() / 1000;
    const leeway = this.leewaySeconds;
    if (typeof claims.exp === 'number' && now > claims.exp + leeway) {
      return { ok: false, reason: 'service account token has expired' };
    }
    if (typeof claims.nbf === 'number' && now < claims.nbf - leeway) {
      return { ok: false, reason: 'service account token is not valid yet' };
    }
    if (typeof claims.iat === 'number' && now < claims.iat - leeway) {
      return { ok: false, reason: 'service account token is issued in the future' };
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => typeof a === 'string' && this.audiences.includes(a))) {
      return {
        ok: false,
        reason: `token audiences ${JSON.stringify(aud)} is invalid for the target audiences ${JSON.stringify(this.audiences)}`,
      };
    }
    const namespace = asString(dig(claims, 'kubernetes.io', 'namespace')) ?? '';
    const name = asString(dig(claims, 'kubernetes.io', 'serviceaccount', 'name')) ?? '';
    const uid = asString(dig(claims, 'kubernetes.io', 'serviceaccount', 'uid')) ?? '';
    if (claims.sub !== `system:serviceaccount:${namespace}:${name}`) {
      return { ok: false, reason: 'sub claim does not match the kubernetes.io claims' };
    }
    const sa = subjects.serviceAccount(namespace, name);
    if (!sa) {
      return { ok: false, reason: `serviceaccounts "${name}" not found` };
    }
    if (sa.deletionTimestamp && Date.parse(sa.deletionTimestamp) / 1000 < now - leeway) {
      return { ok: false, reason: `service account ${namespace}/${name} has been deleted` };
    }
    if (sa.uid !== uid) {
      return { ok: false, reason: `service account UID (${sa.uid}) does not match claim (${uid})` };
    }
    const extra: Record<string, string[]> = {};
    for (const kind of ['pod', 'secret', 'node'] as const) {
      const ref = dig(claims, 'kubernetes.io', kind);
      if (!isRecord(ref)) {
        continue;
      }
      const objectKind = kind === 'pod' ? 'Pod' : kind === 'secret' ? 'Secret' : 'Node';
      const bound = subjects.boundObject(objectKind, namespace, asString(ref.name) ?? '');
      if (!bound || bound.uid !== ref.uid) {
        return { ok: false, reason: 'Token has been invalidated' };
      }
      if (kind === 'pod') {
        extra['authentication.kubernetes.io/pod-name'] = [asString(ref.name) ?? ''];
        extra['authentication.kubernetes.io/pod-uid'] = [asString(ref.uid) ?? ''];
      }
    }
    if (typeof claims.jti === 'string') {
      extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    }
    return {
      ok: true,
      user: {
        username: `system:serviceaccount:${namespace}:${name}`,
        uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
        extra,
      },
    };
  }
}
