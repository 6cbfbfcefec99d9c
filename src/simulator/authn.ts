import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { SimulatorClock } from './clock';
import { bearerToken } from './http';
import type { UserInfo } from './rbac';
import type { TokenValidation } from './sa-tokens';
import { unauthorized } from './status';

/** A bearer-token authenticator in the union chain (service-account JWTs, OIDC, static tokens). */
export interface TokenAuthenticator {
  /** Whether this authenticator should judge the token (JWT authenticators look at `iss`). */
  isOurs(token: string): boolean;
  validate(token: string): Promise<TokenValidation>;
}

interface PeerIdentity {
  commonName: string;
  organizations: string[];
  notBefore: number;
  notAfter: number;
  fingerprint: string;
  issuedByCa: boolean;
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * x509 client-certificate authentication: CN is the user, O the groups (kube-apiserver's
 * --client-ca-file). TLS only collects the certificate; chain and validity are checked here, with the
 * injected clock, so a test can expire a certificate without waiting.
 */
export class X509Authenticator {
  private readonly ca: X509Certificate;
  private readonly perConnection = new WeakMap<TLSSocket, PeerIdentity | null>();

  constructor(
    caPem: string,
    private readonly clock: SimulatorClock,
  ) {
    this.ca = new X509Certificate(caPem);
  }

  /** A client certificate's TLS connection never changes identity, so it is parsed once per connection. */
  private identity(socket: TLSSocket): PeerIdentity | null {
    const cached = this.perConnection.get(socket);
    if (cached !== undefined) {
      return cached;
    }
    let identity: PeerIdentity | null = null;
    const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    if (peer?.raw) {
      const cert = new X509Certificate(peer.raw);
      identity = {
        commonName: asList(peer.subject?.CN)[0] ?? '',
        organizations: asList(peer.subject?.O),
        notBefore: Date.parse(peer.valid_from),
        notAfter: Date.parse(peer.valid_to),
        fingerprint: peer.fingerprint256.replace(/:/g, '').toLowerCase(),
        issuedByCa: cert.checkIssued(this.ca) && cert.verify(this.ca.publicKey),
      };
    }
    this.perConnection.set(socket, identity);
    return identity;
  }

  /** undefined when no certificate was presented. */
  authenticate(req: IncomingMessage): TokenValidation | undefined {
    const id = this.identity(req.socket as TLSSocket);
    if (!id) {
      return undefined;
    }
    if (!id.issuedByCa) {
      return { ok: false, reason: 'x509: certificate signed by unknown authority' };
    }
    const now = this.clock.now().getTime();
    if (now > id.notAfter) {
      return { ok: false, reason: 'x509: certificate has expired' };
    }
    if (now < id.notBefore) {
      return { ok: false, reason: 'x509: certificate is not yet valid' };
    }
    return {
      ok: true,
      user: {
        username: id.commonName,
        groups: [...id.organizations, 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${id.fingerprint}`] },
      },
    };
  }
}

/**
 * The union of authenticators: a client certificate first, then the bearer token through the first
 * authenticator that recognises it. Anything else is the generic 401 (the reason stays server-side).
 */
export async function authenticate(
  req: IncomingMessage,
  x509: X509Authenticator | undefined,
  tokenAuthenticators: TokenAuthenticator[],
): Promise<UserInfo> {
  const byCert = x509?.authenticate(req);
  if (byCert?.ok) {
    return byCert.user;
  }
  const token = bearerToken(req);
  if (token) {
    for (const authenticator of tokenAuthenticators) {
      if (authenticator.isOurs(token)) {
        const result = await authenticator.validate(token);
        if (result.ok) {
          return result.user;
        }
        break;
      }
    }
  }
  throw unauthorized();
}

/** Fixed tokens (kube-apiserver's --token-auth-file), for the broker's Gardener credentials. */
export class StaticTokenAuthenticator implements TokenAuthenticator {
  constructor(private readonly tokens: Map<string, UserInfo>) {}

  isOurs(token: string): boolean {
    return this.tokens.has(token);
  }

  async validate(token: string): Promise<TokenValidation> {
    const user = this.tokens.get(token);
    return user ? { ok: true, user } : { ok: false, reason: 'unknown token' };
  }
}
