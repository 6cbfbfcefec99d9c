import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  EXAMPLE_BINDING_ID,
  EXAMPLE_DATE,
  EXAMPLE_ENVIRONMENT_ID,
  EXAMPLE_EXPIRES_AT,
  EXAMPLE_KUBECONFIG,
  EXAMPLE_PLAN_ID,
  EXAMPLE_SERVICE_ID,
} from './examples';

/** SAP: CreateEnvironmentInstanceBindingRequest. */
export class CreateEnvironmentBindingRequestDto {
  @ApiPropertyOptional({
    description:
      'expiration_seconds: 600 (default) to 7200. token_request (default true here): a ServiceAccount token, revoked at once by DELETE; false: a Gardener admin certificate, valid until it expires',
    type: 'object',
    additionalProperties: true,
    example: { expiration_seconds: 600 },
  })
  @IsOptional()
  parameters?: unknown;
}

export class EnvironmentBindingParams {
  @ApiProperty({ description: 'Id of the environment instance', example: EXAMPLE_ENVIRONMENT_ID })
  @IsString()
  @Length(1, 255, { message: 'environmentInstanceId must be 1 to 255 characters long' })
  environmentInstanceId!: string;

  @ApiProperty({ description: 'Id of the binding (the location header of its creation)', example: EXAMPLE_BINDING_ID })
  @IsString()
  @Length(1, 255, { message: 'bindingId must be 1 to 255 characters long' })
  bindingId!: string;
}

/** The body of an accepted binding creation (SAP leaves it open); the id is also in the `location` header. */
export class EnvironmentBindingCreatedDto {
  @ApiProperty({ description: 'Id of the new binding', example: EXAMPLE_BINDING_ID })
  id!: string;

  @ApiProperty({
    description: 'When the credentials expire (UTC, ISO 8601)',
    format: 'date-time',
    example: EXAMPLE_EXPIRES_AT,
  })
  expiresAt!: string;
}

/** SAP: EnvironmentInstanceBindingMetadata, plus `id` and `createdAt` aliases. */
export class EnvironmentBindingSummaryDto {
  @ApiProperty({ description: 'Id of the binding', example: EXAMPLE_BINDING_ID })
  id!: string;

  @ApiProperty({ description: 'Id of the binding (SAP field name)', example: EXAMPLE_BINDING_ID })
  bindingId!: string;

  @ApiProperty({ description: 'Environment instance of the binding', example: EXAMPLE_ENVIRONMENT_ID })
  instanceId!: string;

  @ApiProperty({ description: 'Creation time (UTC, ISO 8601)', format: 'date-time', example: EXAMPLE_DATE })
  createdAt!: string;

  @ApiProperty({ description: 'Creation time (SAP field name)', format: 'date-time', example: EXAMPLE_DATE })
  createdDate!: string;

  @ApiProperty({
    description: 'Expiry of the credentials (UTC, ISO 8601)',
    format: 'date-time',
    example: EXAMPLE_EXPIRES_AT,
  })
  expiresAt!: string;

  @ApiProperty({ description: 'Whether the binding has expired (it is removed by the cleanup job)', example: false })
  expired!: boolean;
}

/** SAP: GetAllInstanceBindingsResponse. Credentials are never listed. */
export class EnvironmentBindingListDto {
  @ApiProperty({ type: [EnvironmentBindingSummaryDto], description: 'Bindings of the environment, oldest first' })
  bindings!: EnvironmentBindingSummaryDto[];
}

export class EnvironmentBindingCredentialsDto {
  @ApiProperty({ description: 'kubeconfig YAML for kubectl', example: EXAMPLE_KUBECONFIG })
  kubeconfig!: string;
}

export class EnvironmentBindingParametersDto {
  @ApiProperty({ description: 'Lifetime of the credentials in seconds', example: 600 })
  expiration_seconds!: number;

  @ApiProperty({ description: 'true: ServiceAccount token; false: Gardener admin certificate', example: true })
  token_request!: boolean;
}

export class EnvironmentBindingMetadataDto {
  @ApiProperty({ description: 'Expiry of the credentials (OSB format)', example: '2026-11-22T14:20:44.0Z' })
  expires_at!: string;
}

/** SAP: GetEnvironmentInstanceBindingResponse (credentials, parameters, metadata), plus id and expiresAt. */
export class EnvironmentBindingDto {
  @ApiProperty({ description: 'Id of the binding', example: EXAMPLE_BINDING_ID })
  id!: string;

  @ApiProperty({ type: EnvironmentBindingCredentialsDto })
  credentials!: EnvironmentBindingCredentialsDto;

  @ApiProperty({ type: EnvironmentBindingParametersDto })
  parameters!: EnvironmentBindingParametersDto;

  @ApiProperty({ type: EnvironmentBindingMetadataDto })
  metadata!: EnvironmentBindingMetadataDto;

  @ApiProperty({
    description: 'Expiry of the credentials (UTC, ISO 8601)',
    format: 'date-time',
    example: EXAMPLE_EXPIRES_AT,
  })
  expiresAt!: string;

  @ApiProperty({ description: 'Creation time (UTC, ISO 8601)', format: 'date-time', example: EXAMPLE_DATE })
  createdDate!: string;
}

/** SAP: DeleteEnvironmentInstanceBindingResponse. */
export class EnvironmentBindingDeletedDto {
  @ApiProperty({ description: 'Id of the deleted binding', example: EXAMPLE_BINDING_ID })
  bindingId!: string;

  @ApiProperty({ description: 'Plan of the environment', example: EXAMPLE_PLAN_ID })
  planId!: string;

  @ApiProperty({ description: 'Service of the environment', example: EXAMPLE_SERVICE_ID })
  serviceId!: string;
}
