import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const JWT_EXAMPLE = 'eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsb2NhbC1jbGllbnQifQ.c2ln';

export class TokenResponseDto {
  @ApiProperty({
    description: 'RS256 JWT for the broker (iss = auth issuer, aud = auth audience)',
    example: JWT_EXAMPLE,
  })
  access_token!: string;

  @ApiProperty({ example: 'bearer' })
  token_type!: 'bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 43199 })
  expires_in!: number;

  @ApiProperty({
    description: 'Granted scopes, space-separated',
    example: 'broker:write runtimes:read provisioning:write',
  })
  scope!: string;

  @ApiProperty({ description: 'The access token id (its jti claim)', example: '2f0a3c9e6b8d4e0f9a1b2c3d4e5f6a7b' })
  jti!: string;

  @ApiPropertyOptional({
    description: 'password grant only: OIDC ID token (iss = oidc issuerURL, aud = oidc clientID) for /kube-config',
    example: JWT_EXAMPLE,
  })
  id_token?: string;
}

export class OAuthErrorDto {
  @ApiProperty({ description: 'OAuth2 error code', example: 'unauthorized' })
  error!: string;

  @ApiPropertyOptional({ example: 'Bad credentials' })
  error_description?: string;
}

export class JwkDto {
  @ApiProperty({ example: 'RSA' }) kty!: string;
  @ApiProperty({ description: 'RSA modulus (base64url)', example: 'vXg5...' }) n!: string;
  @ApiProperty({ example: 'AQAB' }) e!: string;
  @ApiProperty({ description: 'RFC 7638 thumbprint of the key', example: 'hZ0n3aXvQ0l6...' }) kid!: string;
  @ApiProperty({ example: 'RS256' }) alg!: string;
  @ApiProperty({ example: 'sig' }) use!: string;
}

export class JwksDto {
  @ApiProperty({ type: [JwkDto] })
  keys!: JwkDto[];
}

export class OpenIdConfigurationDto {
  @ApiProperty({ description: 'ID token issuer (config oidc.issuerURL)', example: 'http://127.0.0.1:8080/uaa' })
  issuer!: string;

  @ApiProperty({ example: 'http://127.0.0.1:8080/uaa/token_keys' })
  jwks_uri!: string;

  @ApiProperty({ example: 'http://127.0.0.1:8080/uaa/oauth/token' })
  token_endpoint!: string;

  @ApiProperty({ example: ['client_credentials', 'password'] })
  grant_types_supported!: string[];

  @ApiProperty({ example: ['id_token'] })
  response_types_supported!: string[];

  @ApiProperty({ example: ['public'] })
  subject_types_supported!: string[];

  @ApiProperty({ example: ['RS256'] })
  id_token_signing_alg_values_supported!: string[];

  @ApiProperty({ example: ['client_secret_basic', 'client_secret_post'] })
  token_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ example: ['openid', 'email', 'groups'] })
  scopes_supported!: string[];

  @ApiProperty({ example: ['sub', 'iss', 'aud', 'exp', 'iat', 'email', 'email_verified', 'groups'] })
  claims_supported!: string[];
}
