import { ApiProperty } from '@nestjs/swagger';

const CREATE_SCHEMA_EXAMPLE = JSON.stringify({
  parameters: {
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    properties: { name: { type: 'string' }, region: { type: 'string', enum: ['eu-central-1'] } },
    required: ['name', 'region'],
  },
});

/** SAP: AvailableEnvironmentResponseObject. */
export class AvailableEnvironmentDto {
  @ApiProperty({ description: 'Type of the environment', example: 'kyma' })
  environmentType!: string;

  @ApiProperty({ description: "Service name in the environment broker's catalog", example: 'kymaruntime' })
  serviceName!: string;

  @ApiProperty({ description: "Plan name in the environment broker's catalog", example: 'aws' })
  planName!: string;

  @ApiProperty({ description: 'Description of the plan', example: 'SAP BTP, Kyma runtime on AWS' })
  description!: string;

  @ApiProperty({ description: 'Technical key of the environment broker', example: 'kymaruntime' })
  technicalKey!: string;

  @ApiProperty({ description: 'Availability level of the environment broker', example: 'GA' })
  availabilityLevel!: string;

  @ApiProperty({ description: 'Landscape (platform region) the environment would be created on', example: 'cf-eu10' })
  landscapeLabel!: string;

  @ApiProperty({ description: 'Whether the plan of an existing environment can be changed', example: true })
  planUpdatable!: boolean;

  @ApiProperty({ description: 'Whether a subaccount may have more than one such environment', example: true })
  allowAdditionalEnvironmentInstance!: boolean;

  @ApiProperty({
    description:
      'Create parameter schema of the plan for this region, as a JSON string (`{"parameters": <JSON schema>}`)',
    example: CREATE_SCHEMA_EXAMPLE,
  })
  createSchema!: string;

  @ApiProperty({
    description: 'Update parameter schema of the plan, as a JSON string (`{"parameters": <JSON schema>}`)',
    example: JSON.stringify({ parameters: { type: 'object', properties: { autoScalerMax: { type: 'integer' } } } }),
  })
  updateSchema!: string;

  @ApiProperty({ description: 'Short description of the service', example: 'SAP BTP, Kyma runtime' })
  serviceDescription!: string;

  @ApiProperty({ description: 'Display name of the service', example: 'Kyma runtime' })
  serviceDisplayName!: string;

  @ApiProperty({ description: 'Long description of the service', example: 'Kyma runtime based on Gardener' })
  serviceLongDescription!: string;

  @ApiProperty({ description: 'Documentation link of the service', example: 'https://help.sap.com/docs/btp' })
  serviceDocumentationUrl!: string;

  @ApiProperty({ description: 'Support link of the service', example: 'https://support.sap.com' })
  serviceSupportUrl!: string;

  @ApiProperty({ description: 'Image of the service (URL or data URL)', example: 'data:image/svg+xml;base64,...' })
  serviceImageUrl!: string;
}

/** SAP: AvailableEnvironmentResponseCollection. */
export class AvailableEnvironmentsDto {
  @ApiProperty({ type: [AvailableEnvironmentDto], description: "One entry per plan offered in the caller's region" })
  availableEnvironments!: AvailableEnvironmentDto[];
}
