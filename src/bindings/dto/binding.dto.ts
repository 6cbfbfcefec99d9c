import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Length } from 'class-validator';

const SERVICE_ID = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
const AWS_PLAN_ID = '361c511f-f939-4621-b228-d0fb79a1fe15';

export class BindingParams {
  @ApiProperty({ description: 'Id of the service instance', example: 'f0b1e7c6-5b1a-4d6e-9a53-1f0c4b7f2a10' })
  @IsString()
  @Length(1, 255)
  instance_id!: string;

  @ApiProperty({
    description: 'Platform-chosen binding id; names the kyma-binding-{id} objects on the runtime',
    example: '3b1f9a4e-2c7d-4e8f-9a0b-1c2d3e4f5a6b',
  })
  @IsString()
  @Length(1, 255)
  binding_id!: string;
}

export class BindRequestDto {
  @ApiProperty({ example: SERVICE_ID })
  @IsString({ message: 'service_id missing' })
  @IsNotEmpty({ message: 'service_id missing' })
  service_id!: string;

  @ApiProperty({ example: AWS_PLAN_ID })
  @IsString({ message: 'plan_id missing' })
  @IsNotEmpty({ message: 'plan_id missing' })
  plan_id!: string;

  @ApiPropertyOptional({
    description:
      'expiration_seconds: 600 (default, also for 0) to 7200; token_request: true for a ServiceAccount token kubeconfig (revocable), false for a Gardener admin certificate (not revocable before expiry)',
    type: 'object',
    additionalProperties: true,
    example: { expiration_seconds: 1200 },
  })
  @IsOptional()
  parameters?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { email: 'jane@example.com' } })
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { app_guid: 'app-1' } })
  @IsOptional()
  @IsObject()
  bind_resource?: Record<string, unknown>;
}

export class UnbindQuery {
  @ApiProperty({ example: SERVICE_ID })
  @IsString({ message: 'service_id missing' })
  @IsNotEmpty({ message: 'service_id missing' })
  service_id!: string;

  @ApiProperty({ example: AWS_PLAN_ID })
  @IsString({ message: 'plan_id missing' })
  @IsNotEmpty({ message: 'plan_id missing' })
  plan_id!: string;

  @ApiPropertyOptional({ description: 'Ignored: unbinding is synchronous' })
  @IsOptional()
  @IsString()
  accepts_incomplete?: string;
}

export class KubeconfigCredentialsDto {
  @ApiProperty({
    description: 'kubeconfig YAML',
    example: 'apiVersion: v1\nkind: Config\ncurrent-context: my-runtime\n...',
  })
  kubeconfig!: string;
}

export class BindingMetadataDto {
  @ApiProperty({ description: "The credential's real expiry (RFC 3339, UTC)", example: '2026-11-22T14:20:44.0Z' })
  expires_at!: string;
}

export class BindingResponseDto {
  @ApiProperty({ type: KubeconfigCredentialsDto })
  credentials!: KubeconfigCredentialsDto;

  @ApiProperty({ type: BindingMetadataDto })
  metadata!: BindingMetadataDto;
}
