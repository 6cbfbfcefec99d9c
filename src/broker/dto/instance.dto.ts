import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Length } from 'class-validator';

const SERVICE_ID_EXAMPLE = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
const PLAN_ID_EXAMPLE = '361c511f-f939-4621-b228-d0fb79a1fe15';

export class InstanceParams {
  @ApiProperty({
    description: 'Platform-chosen id of the service instance',
    example: 'f0b1e7c6-5b1a-4d6e-9a53-1f0c4b7f2a10',
  })
  @IsString()
  @Length(1, 255)
  instance_id!: string;
}

export class AcceptsIncompleteQuery {
  @ApiPropertyOptional({
    description: 'Must be true: provisioning, updates of parameters and deprovisioning are asynchronous',
    enum: ['true', 'false'],
    example: 'true',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'accepts_incomplete must be true or false' })
  accepts_incomplete?: string;
}

export class ProvisionRequestDto {
  @ApiProperty({ description: 'Id of the service offering (kymaruntime)', example: SERVICE_ID_EXAMPLE })
  @IsString()
  @IsNotEmpty()
  service_id!: string;

  @ApiProperty({ description: 'Id of the plan', example: PLAN_ID_EXAMPLE })
  @IsString()
  @IsNotEmpty()
  plan_id!: string;

  @ApiPropertyOptional({
    description: 'Platform context: globalaccount_id, subaccount_id, user_id, ...',
    type: 'object',
    additionalProperties: true,
    example: { platform: 'cloudfoundry', globalaccount_id: 'ga-1', subaccount_id: 'sa-1', user_id: 'jane@example.com' },
  })
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: "Provisioning parameters, validated against the plan's schema for the platform region",
    type: 'object',
    additionalProperties: true,
    example: { name: 'my-runtime', region: 'eu-central-1' },
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Deprecated by OSB in favour of context', example: 'org-guid' })
  @IsOptional()
  @IsString()
  organization_guid?: string;

  @ApiPropertyOptional({ description: 'Deprecated by OSB in favour of context', example: 'space-guid' })
  @IsOptional()
  @IsString()
  space_guid?: string;
}

export class UpdateRequestDto {
  @ApiProperty({ description: 'Id of the service offering', example: SERVICE_ID_EXAMPLE })
  @IsString()
  @IsNotEmpty()
  service_id!: string;

  @ApiPropertyOptional({ description: 'New plan id (absent: the plan stays)', example: PLAN_ID_EXAMPLE })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  plan_id?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { autoScalerMax: 30 } })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { globalaccount_id: 'ga-1' } })
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { plan_id: PLAN_ID_EXAMPLE } })
  @IsOptional()
  @IsObject()
  previous_values?: Record<string, unknown>;
}

export class DeprovisionQuery extends AcceptsIncompleteQuery {
  @ApiProperty({ description: 'Id of the service offering', example: SERVICE_ID_EXAMPLE })
  @IsString({ message: 'service_id missing' })
  @IsNotEmpty({ message: 'service_id missing' })
  service_id!: string;

  @ApiProperty({ description: 'Id of the plan', example: PLAN_ID_EXAMPLE })
  @IsString({ message: 'plan_id missing' })
  @IsNotEmpty({ message: 'plan_id missing' })
  plan_id!: string;
}

export class LastOperationQuery {
  @ApiPropertyOptional({ description: 'Operation id returned by the request being polled' })
  @IsOptional()
  @IsString()
  operation?: string;

  @ApiPropertyOptional({ description: 'Hint, ignored' })
  @IsOptional()
  @IsString()
  service_id?: string;

  @ApiPropertyOptional({ description: 'Hint, ignored' })
  @IsOptional()
  @IsString()
  plan_id?: string;
}

export class ProvisionResponseDto {
  @ApiPropertyOptional({
    description: 'Id to poll with last_operation',
    example: '8a7f6b5c-1d2e-4f30-a1b2-c3d4e5f60718',
  })
  operation?: string;

  @ApiPropertyOptional({
    description: 'Kyma dashboard of the runtime',
    example: 'https://dashboard.kyma.cloud.sap/?kubeconfigID=...',
  })
  dashboard_url?: string;
}

export class LastOperationResponseDto {
  @ApiProperty({ enum: ['in progress', 'succeeded', 'failed'], example: 'in progress' })
  state!: string;

  @ApiPropertyOptional({ example: 'creating the runtime' })
  description?: string;
}

export class InstanceResponseDto {
  @ApiProperty({ example: SERVICE_ID_EXAMPLE })
  service_id!: string;

  @ApiProperty({ example: PLAN_ID_EXAMPLE })
  plan_id!: string;

  @ApiPropertyOptional({ example: 'https://dashboard.kyma.cloud.sap/?kubeconfigID=...' })
  dashboard_url?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { name: 'my-runtime', region: 'eu-central-1' },
  })
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { labels: { runtime_id: '...' } } })
  metadata?: Record<string, unknown>;
}
