import { Body, Controller, Get, Header, Headers, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { DevIssuerService } from './dev-issuer.service';
import { DevTokenService } from './dev-token.service';
import { TokenRequestDto } from './dto/token-request.dto';
import { JwksDto, OAuthErrorDto, OpenIdConfigurationDto, TokenResponseDto } from './dto/token-response.dto';
import { OAuthErrorFilter } from './oauth-error';

/** Local profile only: a UAA-shaped token endpoint, its keys and OIDC discovery, so curl | jq just works. */
@ApiTags('dev issuer (local profile)')
@Controller('uaa')
@UseFilters(OAuthErrorFilter)
export class DevIssuerController {
  constructor(
    private readonly tokens: DevTokenService,
    private readonly issuer: DevIssuerService,
  ) {}

  @Post('oauth/token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiBasicAuth('basic')
  @ApiOperation({
    summary: 'Issue a token (client_credentials, or password for an OIDC ID token)',
    description:
      'Client authentication with HTTP Basic (`curl -u local-client:local-secret`) or client_id/client_secret ' +
      'form fields. client_credentials returns an access token for the broker APIs; password (with username and ' +
      'password of a dev user, default admin@example.com / local-password) also returns an `id_token` for /kube-config.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({
    type: TokenRequestDto,
    examples: {
      client_credentials: { value: { grant_type: 'client_credentials' } },
      password: {
        value: { grant_type: 'password', username: 'admin@example.com', password: 'local-password' },
      },
    },
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({
    type: OAuthErrorDto,
    description: 'Missing or unsupported grant type, missing fields, or a scope the client does not have',
    example: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: authorization_code' },
  })
  @ApiUnauthorizedResponse({
    type: OAuthErrorDto,
    description: 'Unknown client, wrong client secret, or wrong user credentials',
    example: { error: 'unauthorized', error_description: 'Bad credentials' },
  })
  token(
    @Headers('authorization') authorization: string | undefined,
    @Body() form: TokenRequestDto,
  ): Promise<TokenResponseDto> {
    return this.tokens.issue(authorization, form);
  }

  @Get('token_keys')
  @ApiOperation({ summary: 'The public signing keys (JWKS), under UAA’s name for them' })
  @ApiOkResponse({ type: JwksDto })
  tokenKeys(): JwksDto {
    return this.issuer.jwks();
  }

  @Get('.well-known/openid-configuration')
  @ApiOperation({
    summary: 'OIDC discovery for the ID tokens (issuer = oidc.issuerURL)',
    description:
      'jwks_uri and token_endpoint use the origin the request was sent to, so other processes can reach them.',
  })
  @ApiOkResponse({ type: OpenIdConfigurationDto })
  discovery(@Req() req: Request): OpenIdConfigurationDto {
    return this.issuer.discovery(req.protocol, req.get('host'));
  }
}
