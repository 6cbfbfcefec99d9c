import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JWTPayload, SignJWT } from 'jose';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig, DevClientConfig, DevUserConfig } from '../config/app-config';
import { clientCredentialsOf, secretsEqual } from './client-credentials';
import { DEV_ISSUER_ALG, DevIssuerKeys } from './dev-issuer-keys';
import { TokenRequestDto } from './dto/token-request.dto';
import { TokenResponseDto } from './dto/token-response.dto';
import { OAuthError } from './oauth-error';

// Compared against when the client or user is unknown, so a miss costs what a hit costs.
const DUMMY_SECRET = randomUUID();

/**
 * The local profile's UAA stand-in. Access tokens look like UAA/XSUAA client tokens (iss, aud, sub,
 * client_id/cid/azp, scope as an array, zid + ext_attr.{subaccountid,globalaccountid}); the password
 * grant adds an OIDC ID token for the kubeconfig generator (seed 004).
 */
@Injectable()
export class DevTokenService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: DevIssuerKeys,
    private readonly clock: Clock,
  ) {}

  async issue(authorization: string | undefined, form: TokenRequestDto): Promise<TokenResponseDto> {
    // Like UAA, the client is authenticated before the grant is even looked at.
    const client = this.authenticateClient(authorization, form);
    switch (form.grant_type) {
      case undefined:
      case '':
        throw new OAuthError(400, 'invalid_request', 'Missing grant type');
      case 'client_credentials':
        return this.clientCredentials(client, form.scope);
      case 'password':
        return this.password(client, form);
      default:
        throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${form.grant_type}`);
    }
  }

  private async clientCredentials(client: DevClientConfig, requested: string | undefined): Promise<TokenResponseDto> {
    const scopes = grantable(client.scopes, requested);
    return this.accessToken(client, scopes, { sub: client.clientId, grant_type: 'client_credentials' });
  }

  /**
   * UAA semantics: a user token carries `openid` plus those client scopes the user holds as a group
   * (dev users normally hold none, so a user cannot act as the OSB platform).
   */
  private async password(client: DevClientConfig, form: TokenRequestDto): Promise<TokenResponseDto> {
    if (!form.username || form.password === undefined) {
      throw new OAuthError(400, 'invalid_request', 'username and password are required for the password grant');
    }
    const user = this.authenticateUser(form.username, form.password);
    const scopes = ['openid', ...client.scopes.filter((s) => user.groups.includes(s))];
    const response = await this.accessToken(client, scopes, {
      sub: user.username,
      user_name: user.username,
      email: user.email,
      origin: 'uaa',
      grant_type: 'password',
    });
    return { ...response, id_token: await this.idToken(client, user) };
  }

  private async accessToken(client: DevClientConfig, scopes: string[], extra: JWTPayload): Promise<TokenResponseDto> {
    const jti = randomUUID().replace(/-/g, '');
    const ttl = this.config.devIssuer.accessTokenTtlSeconds;
    const token = await this.sign(
      {
        ...extra,
        jti,
        client_id: client.clientId,
        cid: client.clientId,
        azp: client.clientId,
        scope: scopes,
        zid: client.subaccountId,
        ext_attr: { subaccountid: client.subaccountId, globalaccountid: client.globalAccountId },
        iss: this.config.auth.issuer,
        aud: [this.config.auth.audience],
      },
      ttl,
    );
    return { access_token: token, token_type: 'bearer', expires_in: ttl, scope: scopes.join(' '), jti };
  }

  private idToken(client: DevClientConfig, user: DevUserConfig): Promise<string> {
    const { oidc } = this.config;
    return this.sign(
      {
        // The runtime's OIDC settings say which claim holds the groups; first, so it can never shadow iss/aud/sub.
        [oidc.groupsClaim]: user.groups,
        iss: oidc.issuerURL,
        aud: oidc.clientID,
        azp: client.clientId,
        sub: user.username,
        email: user.email,
        email_verified: true,
        preferred_username: user.username,
        auth_time: this.nowSeconds(),
        jti: randomUUID(),
      },
      this.config.devIssuer.idTokenTtlSeconds,
    );
  }

  private sign(claims: JWTPayload, ttlSeconds: number): Promise<string> {
    const now = this.nowSeconds();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: DEV_ISSUER_ALG, kid: this.keys.kid, typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(this.keys.privateKey);
  }

  private authenticateClient(authorization: string | undefined, form: TokenRequestDto): DevClientConfig {
    const candidates = clientCredentialsOf(authorization, form);
    if (candidates === undefined) {
      throw new OAuthError(401, 'unauthorized', 'Full authentication is required to access this resource');
    }
    if (candidates === 'malformed') {
      throw OAuthError.badCredentials();
    }
    for (const given of candidates) {
      const client = this.config.devIssuer.clients.find((c) => c.clientId === given.clientId);
      if (secretsEqual(given.clientSecret, client?.clientSecret ?? DUMMY_SECRET) && client) {
        return client;
      }
    }
    throw OAuthError.badCredentials();
  }

  private authenticateUser(username: string, password: string): DevUserConfig {
    const user = this.config.devIssuer.users.find((u) => u.username === username);
    if (secretsEqual(password, user?.password ?? DUMMY_SECRET) && user) {
      return user;
    }
    throw OAuthError.badCredentials();
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

/** RFC 6749 §3.3: a requested scope outside the client's is an error, not silently dropped. */
function grantable(allowed: string[], requested: string | undefined): string[] {
  const asked = (requested ?? '').split(/\s+/).filter(Boolean);
  if (asked.length === 0) {
    return [...allowed];
  }
  const invalid = asked.filter((s) => !allowed.includes(s));
  if (invalid.length > 0) {
    throw new OAuthError(400, 'invalid_scope', `Invalid scope: ${invalid.join(' ')}`);
  }
  return [...new Set(asked)];
}
