import { Controller, Get, Header, Headers, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { OsbErrorDto } from '../common/osb-dto';
import { KubeconfigGeneratorService } from './kubeconfig-generator.service';

export class KubeconfigQuery {
  @ApiPropertyOptional({
    description: 'Runtime id (as in /info/runtimes)',
    example: '4b9c2f0e-8d1a-4c6b-9e7f-2a3b4c5d6e7f',
  })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  runtime_id?: string;

  @ApiPropertyOptional({ description: 'Service instance id, instead of runtime_id' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
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

@ApiTags('kubeconfig generator')
@Controller('kube-config')
export class KubeconfigGeneratorController {
  constructor(private readonly generator: KubeconfigGeneratorService) {}

  @Get()
  @ApiBearerAuth('bearer')
  @ApiOperation({
    summary: 'Turn your OIDC ID token into a kubeconfig for a runtime',
    description:
      "Send the ID token issued by the runtime's OIDC provider (in the local profile: the dev issuer's password grant). The kubeconfig is valid as long as the token; the runtime's RBAC decides what you may do.",
  })
  @ApiProduces('application/x-yaml')
  @ApiOkResponse({ description: 'kubeconfig YAML (attachment kubeconfig.yaml)', schema: { type: 'string' } })
  @ApiBadRequestResponse({ type: OsbErrorDto })
  @ApiUnauthorizedResponse({ type: OsbErrorDto, description: 'Missing, invalid or expired ID token' })
  @ApiForbiddenResponse({ type: OsbErrorDto, description: "The runtime does not trust the token's issuer" })
  @ApiNotFoundResponse({ type: OsbErrorDto, description: 'Unknown or not yet ready runtime' })
  @Header('Content-Type', 'application/x-yaml; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="kubeconfig.yaml"')
  @Header('Cache-Control', 'no-store')
  generate(@Query() query: KubeconfigQuery, @Headers('authorization') authorization?: string): Promise<string> {
    return this.generator.generate({
      bearer: /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim(),
      runtimeId: query.runtime_id,
      instanceId: query.instance_id,
      format: query.format,
    });
  }
}
