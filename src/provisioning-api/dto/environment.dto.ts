import { ApiProperty } from '@nestjs/swagger';
import { ENVIRONMENT_OPERATION_TYPES, ENVIRONMENT_STATES } from '../environment-state';
import type { EnvironmentOperationType, EnvironmentState } from '../environment-state';
import {
  EXAMPLE_DATE,
  EXAMPLE_ENVIRONMENT_ID,
  EXAMPLE_GLOBAL_ACCOUNT_ID,
  EXAMPLE_PLAN_ID,
  EXAMPLE_SERVICE_ID,
  EXAMPLE_SUBACCOUNT_ID,
} from './examples';

const LABELS_EXAMPLE = JSON.stringify({
  Name: 'my-runtime',
  APIServerURL: 'https://api.c-1a2b3c4.kyma.local',
  DashboardURL: 'https://dashboard.kyma.local/?runtime=b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e',
  RuntimeID: 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e',
});

/** SAP: BusinessEnvironmentInstanceResponseObject (EnvironmentInstanceResponseObject for DELETE). */
export class EnvironmentInstanceDto {
  @ApiProperty({
    description: 'Id of the environment instance (the service instance id)',
    example: EXAMPLE_ENVIRONMENT_ID,
  })
  id!: string;

  @ApiProperty({ description: 'Name of the environment (parameters.name)', example: 'my-runtime' })
  name!: string;

  @ApiProperty({ description: 'Id of the environment broker', example: 'kyma-environment-broker' })
  brokerId!: string;

  @ApiProperty({ description: 'Global account of the environment', example: EXAMPLE_GLOBAL_ACCOUNT_ID })
  globalAccountGUID!: string;

  @ApiProperty({ description: 'Subaccount of the environment', example: EXAMPLE_SUBACCOUNT_ID })
  subaccountGUID!: string;

  @ApiProperty({ description: 'Tenant owning the environment (the subaccount)', example: EXAMPLE_SUBACCOUNT_ID })
  tenantId!: string;

  @ApiProperty({ description: "Service id in the broker's catalog", example: EXAMPLE_SERVICE_ID })
  serviceId!: string;

  @ApiProperty({ description: "Service name in the broker's catalog", example: 'kymaruntime' })
  serviceName!: string;

  @ApiProperty({ description: "Plan id in the broker's catalog", example: EXAMPLE_PLAN_ID })
  planId!: string;

  @ApiProperty({ description: "Plan name in the broker's catalog", example: 'aws' })
  planName!: string;

  @ApiProperty({ description: 'Platform (region) the environment was created through', example: 'cf-eu10' })
  platformId!: string;

  @ApiProperty({ description: 'Landscape of the environment', example: 'cf-eu10' })
  landscapeLabel!: string;

  @ApiProperty({ description: 'Type of the environment', example: 'kyma' })
  environmentType!: string;

  @ApiProperty({ description: 'Id of the last operation', example: '8a7f6b5c-1d2e-4f30-a1b2-c3d4e5f60718' })
  operation!: string;

  @ApiProperty({ description: 'Kind of the last operation', enum: ENVIRONMENT_OPERATION_TYPES, example: 'Provision' })
  type!: EnvironmentOperationType;

  @ApiProperty({ description: 'Current state', enum: ENVIRONMENT_STATES, example: 'OK' })
  state!: EnvironmentState;

  @ApiProperty({ description: 'About the current state (the last operation)', example: 'Operation succeeded' })
  stateMessage!: string;

  @ApiProperty({
    description: 'Provisioning parameters, as a JSON string',
    example: JSON.stringify({ name: 'my-runtime', region: 'eu-central-1' }),
  })
  parameters!: string;

  @ApiProperty({
    description:
      'Broker labels as a JSON string: Name, APIServerURL (once the runtime is ready), DashboardURL, RuntimeID',
    example: LABELS_EXAMPLE,
  })
  labels!: string;

  @ApiProperty({
    description: 'User-defined labels (not supported here: always empty)',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: {},
  })
  customLabels!: Record<string, string[]>;

  @ApiProperty({ description: 'Kyma dashboard of the runtime', example: 'https://dashboard.kyma.local/?runtime=...' })
  dashboardUrl!: string;

  @ApiProperty({
    description: 'Who created the environment (the user of the create request)',
    example: 'jane@example.com',
  })
  createdBy!: string;

  @ApiProperty({ description: 'Creation time (UTC, ISO 8601)', format: 'date-time', example: EXAMPLE_DATE })
  createdDate!: string;

  @ApiProperty({ description: 'Last change (UTC, ISO 8601)', format: 'date-time', example: EXAMPLE_DATE })
  modifiedDate!: string;
}

/** SAP: BusinessEnvironmentInstancesResponseCollection. */
export class EnvironmentInstancesDto {
  @ApiProperty({ type: [EnvironmentInstanceDto], description: "The caller's subaccount's environments, oldest first" })
  environmentInstances!: EnvironmentInstanceDto[];
}

/** SAP answers an accepted update with an empty object (AbstractDTO). */
export class EnvironmentUpdateAcceptedDto {}
