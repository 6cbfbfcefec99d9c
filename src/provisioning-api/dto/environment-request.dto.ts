import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import { KYMA_ENVIRONMENT_TYPE, KYMA_SERVICE_NAME } from '../kyma-offering';
import { EXAMPLE_ENVIRONMENT_ID } from './examples';

const NOT_BLANK = /\S/;

/** SAP: CreateEnvironmentInstanceRequestPayload (required: environmentType, planName, serviceName). */
export class CreateEnvironmentRequestDto {
  @ApiProperty({
    description: 'Type of the environment: always kyma here',
    enum: [KYMA_ENVIRONMENT_TYPE],
    example: 'kyma',
  })
  @IsIn([KYMA_ENVIRONMENT_TYPE], { message: `environmentType must be "${KYMA_ENVIRONMENT_TYPE}"` })
  environmentType!: string;

  @ApiProperty({ description: 'Service of the environment broker', enum: [KYMA_SERVICE_NAME], example: 'kymaruntime' })
  @IsIn([KYMA_SERVICE_NAME], { message: `serviceName must be "${KYMA_SERVICE_NAME}"` })
  serviceName!: string;

  @ApiProperty({
    description: 'Plan name, one of the planName values of GET /provisioning/v1/availableEnvironments',
    example: 'aws',
  })
  @Matches(NOT_BLANK, { message: 'planName is required: a plan name from GET /provisioning/v1/availableEnvironments' })
  planName!: string;

  @ApiPropertyOptional({
    description:
      "Provisioning parameters, validated against the plan's create schema for this region (name and region are required)",
    type: 'object',
    additionalProperties: true,
    example: { name: 'my-runtime', region: 'eu-central-1' },
  })
  @IsOptional()
  @IsObject({ message: 'parameters must be a JSON object' })
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'E-mail of the user owning the environment (becomes its administrator); required with client_credentials tokens, which carry no user',
    example: 'jane.doe@example.com',
  })
  @IsOptional()
  @Matches(/^\S.{0,511}$/, { message: 'user must be a non-empty string (an e-mail address) of at most 512 characters' })
  user?: string;

  @ApiPropertyOptional({
    description: 'Name of the environment; used as parameters.name when that is not given',
    example: 'my-runtime',
  })
  @IsOptional()
  @IsString({ message: 'name must be a string' })
  name?: string;

  @ApiPropertyOptional({ description: 'Description of the environment (not stored)', example: 'team runtime' })
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  description?: string;

  @ApiPropertyOptional({ description: 'Origin of the user for a custom IdP (ignored here)', example: 'sap.default' })
  @IsOptional()
  @IsString({ message: 'origin must be a string' })
  origin?: string;

  @ApiPropertyOptional({ description: 'Landscape to create on (ignored: there is one per region)', example: 'cf-eu10' })
  @IsOptional()
  @IsString({ message: 'landscapeLabel must be a string' })
  landscapeLabel?: string;

  @ApiPropertyOptional({ description: 'Technical key of the environment broker (ignored)', example: 'kymaruntime' })
  @IsOptional()
  @IsString({ message: 'technicalKey must be a string' })
  technicalKey?: string;
}

/** SAP: CreatedEnvironmentInstanceResponseObject. */
export class CreatedEnvironmentDto {
  @ApiProperty({ description: 'Id of the new environment instance', example: EXAMPLE_ENVIRONMENT_ID })
  id!: string;
}

/** SAP: UpdateEnvironmentInstanceRequestPayload (required: planName). */
export class UpdateEnvironmentRequestDto {
  @ApiProperty({ description: 'Plan name: the current one, or one the plan may change to', example: 'aws' })
  @Matches(NOT_BLANK, { message: 'planName is required: the current plan name or the plan to change to' })
  planName!: string;

  @ApiPropertyOptional({
    description: "Update parameters, validated against the plan's update schema",
    type: 'object',
    additionalProperties: true,
    example: { autoScalerMax: 30 },
  })
  @IsOptional()
  @IsObject({ message: 'parameters must be a JSON object' })
  parameters?: Record<string, unknown>;
}

export class EnvironmentParams {
  @ApiProperty({ description: 'Id of the environment instance', example: EXAMPLE_ENVIRONMENT_ID })
  @IsString()
  @Length(1, 255, { message: 'environmentInstanceId must be 1 to 255 characters long' })
  environmentInstanceId!: string;
}
