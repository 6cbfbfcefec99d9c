import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { UnauthorizedError } from '../common/domain-errors';
import { OsbErrorDto } from '../common/osb-dto';
import { KubeconfigGeneratorService } from './kubeconfig-generator.service';

// Ids are stored as text: control characters (NUL above all, which PostgreSQL refuses) can match nothing.
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

export class KubeconfigQuery {
  @ApiPropertyOptional({
    description: 'Runtime id (as in /info/runtimes)',
    example: '4b9c2f0e-8d1a-4c6b-9e7f-2a3b4c5d6e7f',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'runtime_id must not contain control characters' })
  runtime_id?: string;

  @ApiPropertyOptional({ description: 'Service instance id, instead of runtime_id' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'instance_id must not contain control characters' })
  instance_id?: string;

  @ApiPropertyOptional({
    description:
      'token (default): the kubeconfig carries your ID token; exec: it runs kubelogin (kubectl oidc-login) to log in',
    enum: ['token', 'exec'],
  })
  @IsOptional()
  @IsIn(['token', 'exec'], { message: 'format must be "token" or "exec"' })
  format?: string;
}

const ERROR_EXAMPLES = {
  400: { error: 'BadRequest', description: 'runtime_id (or instance_id) is required' },
  401: { error: 'Unauthorized', description: 'the ID token has expired' },
  403: {
    error: 'Forbidden',
    description:
      'runtime 4b9c2f0e-8d1a-4c6b-9e7f-2a3b4c5d6e7f trusts ID tokens of https://idp.example.com, not of http://127.0.0.1:8080/uaa',
  },
  404: { description: 'runtime 4b9c2f0e-8d1a-4c6b-9e7f-2a3b4c5d6e7f not found' },
  503: { description: 'the OIDC issuer https://idp.example.com cannot be reached to check the token' },
};

const KUBECONFIG_EXAMPLE = `apiVersion: v1
kind: Config
current-context: my-runtime
clusters:
  - name: my-runtime
    cluster:
      certificate-authority-data: LS0tLS1CRUdJTi...
      server: https://api.my-runtime.example.com
contexts:
  - name: my-runtime
    context:
      cluster: my-runtime
      user: my-runtime
users:
  - name: my-runtime
    user:
      token: eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9...
`;

const jsonError = (status: keyof typeof ERROR_EXAMPLES) => ({
  'application/json': { schema: { $ref: getSchemaPath(OsbErrorDto) }, example: ERROR_EXAMPLES[status] },
});

@ApiTags('kubeconfig generator')
@ApiExtraModels(OsbErrorDto)
@Controller('kube-config')
export class KubeconfigGeneratorController {
  constructor(private readonly generator: KubeconfigGeneratorService) {}

  @Get()
  @ApiBearerAuth('bearer')
  @ApiOperation({
    summary: 'Turn your OIDC ID token into a kubeconfig for a runtime',
    description:
      "Send the ID token issued by the runtime's OIDC provider as `Authorization: Bearer <ID token>` (in the local " +
      "profile: the `id_token` of the dev issuer's password grant, POST /uaa/oauth/token). The token is checked " +
      "against the runtime's OIDC settings (issuer, client id as audience, signing algorithms, expiry). The " +
      "kubeconfig is valid as long as the token; the runtime's RBAC decides what you may do (administrators " +
      'given at provisioning are cluster-admin). With `format=exec` the kubeconfig runs kubelogin ' +
      '(`kubectl oidc-login`) instead of carrying the token.',
  })
  @ApiOkResponse({
    description: 'kubeconfig YAML, as an attachment',
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="kubeconfig.yaml"',
        schema: { type: 'string', example: 'attachment; filename="kubeconfig.yaml"' },
      },
    },
    content: { 'application/x-yaml': { schema: { type: 'string' }, example: KUBECONFIG_EXAMPLE } },
  })
  @ApiBadRequestResponse({ description: 'No runtime_id or instance_id, or a bad format', content: jsonError(400) })
  @ApiUnauthorizedResponse({
    description: 'Missing, malformed, unsigned, forged, expired or wrong-audience ID token',
    headers: { 'WWW-Authenticate': { description: 'Bearer challenge (RFC 6750)', schema: { type: 'string' } } },
    content: jsonError(401),
  })
  @ApiForbiddenResponse({
    description: "The runtime's OIDC settings do not trust the token's issuer",
    content: jsonError(403),
  })
  @ApiNotFoundResponse({ description: 'Unknown, deprovisioned or not yet ready runtime', content: jsonError(404) })
  @ApiServiceUnavailableResponse({
    description: "The issuer's keys or the runtime cannot be reached right now",
    content: jsonError(503),
  })
  async generate(
    @Query() query: KubeconfigQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const authorization = req.headers.authorization;
    let kubeconfig: string;
    try {
      kubeconfig = await this.generator.generate({
        bearer: /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1],
        runtimeId: query.runtime_id,
        instanceId: query.instance_id,
        format: query.format,
      });
    } catch (err) {
      if (err instanceof UnauthorizedError) {
        // RFC 6750 §3: error="invalid_token" only when a token was sent.
        res.setHeader(
          'WWW-Authenticate',
          authorization ? 'Bearer realm="kube-config", error="invalid_token"' : 'Bearer realm="kube-config"',
        );
      }
      throw err;
    }
    // Set on success only: an error is a JSON body, not a kubeconfig download.
    res.setHeader('Content-Type', 'application/x-yaml; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="kubeconfig.yaml"');
    res.setHeader('Cache-Control', 'no-store');
    return kubeconfig;
  }
}
