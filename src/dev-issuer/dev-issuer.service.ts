import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DEV_ISSUER_ALG, DevIssuerKeys } from './dev-issuer-keys';
import { JwksDto, OpenIdConfigurationDto } from './dto/token-response.dto';

// A Host header is caller-supplied: only a plain host[:port] may end up in URLs we hand out.
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Key publication and OIDC discovery for the dev issuer. */
@Injectable()
export class DevIssuerService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: DevIssuerKeys,
  ) {}

  jwks(): JwksDto {
    return this.keys.jwks() as JwksDto;
  }

  /**
   * The document lives under the ID-token issuer (oidc.issuerURL + /.well-known/openid-configuration); its
   * URLs are built from the origin of the request, because with a random port the configured URL may not
   * be where other processes reach us.
   */
  discovery(protocol: string, host: string | undefined): OpenIdConfigurationDto {
    const origin =
      host && HOST_PATTERN.test(host) ? `${protocol === 'https' ? 'https' : 'http'}://${host}` : this.fallbackOrigin();
    const scopes = new Set(['openid', 'email', 'groups', ...this.config.devIssuer.clients.flatMap((c) => c.scopes)]);
    return {
      issuer: this.config.oidc.issuerURL,
      jwks_uri: `${origin}/uaa/token_keys`,
      token_endpoint: `${origin}/uaa/oauth/token`,
      grant_types_supported: ['client_credentials', 'password'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [DEV_ISSUER_ALG],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: [...scopes],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'azp',
        'exp',
        'iat',
        'auth_time',
        'email',
        'email_verified',
        'preferred_username',
        this.config.oidc.groupsClaim,
      ],
    };
  }

  private fallbackOrigin(): string {
    const { host, port } = this.config.server;
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  }
}
