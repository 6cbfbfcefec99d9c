import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { RequireScope } from '../auth/require-scope.decorator';
import { OsbErrorDto } from '../common/osb-dto';
import { AvailableEnvironmentsDto } from './dto/available-environment.dto';
import {
  EnvironmentBindingCreatedDto,
  EnvironmentBindingDeletedDto,
  EnvironmentBindingDto,
  EnvironmentBindingListDto,
  EnvironmentBindingParams,
  EnvironmentBindingSummaryDto,
  CreateEnvironmentBindingRequestDto,
} from './dto/environment-binding.dto';
import { EnvironmentInstanceDto, EnvironmentInstancesDto, EnvironmentUpdateAcceptedDto } from './dto/environment.dto';
import {
  CreatedEnvironmentDto,
  CreateEnvironmentRequestDto,
  EnvironmentParams,
  UpdateEnvironmentRequestDto,
} from './dto/environment-request.dto';
import { ProvisioningApiService } from './provisioning-api.service';
import { CurrentTenant, Tenant } from './tenant';

const ENVIRONMENT_NOT_FOUND = {
  type: OsbErrorDto,
  description: "No such environment in the caller's subaccount (environments of other subaccounts are never visible)",
  example: { error: 'NotFound', description: 'environment instance 9f3c2d1e-4b5a-4c6d-8e7f-0a1b2c3d4e5f not found' },
};
const BINDING_NOT_FOUND = {
  type: OsbErrorDto,
  description: "No such environment in the caller's subaccount, or no such binding",
  example: { description: 'binding 3b1f9a4e-2c7d-4e8f-9a0b-1c2d3e4f5a6b not found' },
};

/**
 * SAP's Provisioning Service API for Kyma environments (/provisioning/v1), so that scripts written for
 * SAP BTP (a UAA client-credentials token, then these calls) run unchanged against this broker.
 */
@ApiTags('Provisioning Service API')
@Controller('provisioning/v1')
@RequireScope('provisioning')
@ApiExtraModels(EnvironmentBindingDto, EnvironmentBindingSummaryDto)
export class ProvisioningApiController {
  constructor(private readonly api: ProvisioningApiService) {}

  @Get('availableEnvironments')
  @ApiOperation({ summary: "Environments (Kyma plans with their parameter schemas) available in the caller's region" })
  @ApiOkResponse({ type: AvailableEnvironmentsDto })
  availableEnvironments(@CurrentTenant() tenant: Tenant): AvailableEnvironmentsDto {
    return this.api.availableEnvironments(tenant);
  }

  @Post('environments')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Create a Kyma environment (asynchronous: poll GET /provisioning/v1/environments/{id} until state OK)',
  })
  @ApiAcceptedResponse({ type: CreatedEnvironmentDto, description: 'Provisioning accepted' })
  @ApiBadRequestResponse({
    type: OsbErrorDto,
    description:
      'Invalid JSON, a missing or wrong field, a plan not available in the region, or parameters not matching the plan schema',
    example: {
      error: 'BadRequest',
      description: 'planName is required: a plan name from GET /provisioning/v1/availableEnvironments',
    },
  })
  createEnvironment(
    @CurrentTenant() tenant: Tenant,
    @Body() body: CreateEnvironmentRequestDto,
  ): Promise<CreatedEnvironmentDto> {
    return this.api.createEnvironment(tenant, body);
  }

  @Get('environments')
  @ApiOperation({ summary: "The environments of the caller's subaccount" })
  @ApiOkResponse({ type: EnvironmentInstancesDto })
  listEnvironments(@CurrentTenant() tenant: Tenant): Promise<EnvironmentInstancesDto> {
    return this.api.listEnvironments(tenant);
  }

  @Get('environments/:environmentInstanceId')
  @ApiOperation({ summary: 'One environment: state, parameters, labels (API server and dashboard URLs)' })
  @ApiOkResponse({ type: EnvironmentInstanceDto })
  @ApiNotFoundResponse(ENVIRONMENT_NOT_FOUND)
  getEnvironment(@CurrentTenant() tenant: Tenant, @Param() params: EnvironmentParams): Promise<EnvironmentInstanceDto> {
    return this.api.getEnvironment(tenant, params.environmentInstanceId);
  }

  @Patch('environments/:environmentInstanceId')
  @HttpCode(202)
  @ApiOperation({ summary: 'Update the parameters or the plan of an environment (asynchronous)' })
  @ApiAcceptedResponse({ type: EnvironmentUpdateAcceptedDto, description: 'Update accepted (or nothing to change)' })
  @ApiBadRequestResponse({
    type: OsbErrorDto,
    description: 'A missing planName, an unknown plan, or parameters not matching the update schema',
    example: {
      error: 'BadRequest',
      description: 'planName is required: the current plan name or the plan to change to',
    },
  })
  @ApiNotFoundResponse(ENVIRONMENT_NOT_FOUND)
  @ApiUnprocessableEntityResponse({
    type: OsbErrorDto,
    description: 'Another operation is running, or the plan change is not allowed',
    example: { error: 'ConcurrencyError', description: 'another operation (provision) is in progress' },
  })
  async updateEnvironment(
    @CurrentTenant() tenant: Tenant,
    @Param() params: EnvironmentParams,
    @Body() body: UpdateEnvironmentRequestDto,
  ): Promise<EnvironmentUpdateAcceptedDto> {
    await this.api.updateEnvironment(tenant, params.environmentInstanceId, body);
    return {};
  }

  @Delete('environments/:environmentInstanceId')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Delete an environment (asynchronous); existing bindings do not block it',
    description: 'The environment reports state DELETING until it is gone; then GET answers 404 and lists omit it.',
  })
  @ApiAcceptedResponse({ type: EnvironmentInstanceDto, description: 'Deletion accepted; the environment, DELETING' })
  @ApiNotFoundResponse(ENVIRONMENT_NOT_FOUND)
  deleteEnvironment(
    @CurrentTenant() tenant: Tenant,
    @Param() params: EnvironmentParams,
  ): Promise<EnvironmentInstanceDto> {
    return this.api.deleteEnvironment(tenant, params.environmentInstanceId);
  }

  @Put('environments/:environmentInstanceId/bindings')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Create a kubeconfig binding; its id is the value of the `location` response header',
    description:
      'expiration_seconds from 600 (default) to 7200; at most 10 non-expired bindings per environment. The credentials are ready when this answers: GET .../bindings/{bindingId}.',
  })
  @ApiAcceptedResponse({
    type: EnvironmentBindingCreatedDto,
    description: 'Binding created',
    headers: {
      location: {
        description: 'The id of the new binding (bare, not a URL)',
        schema: { type: 'string', example: '3b1f9a4e-2c7d-4e8f-9a0b-1c2d3e4f5a6b' },
      },
    },
  })
  @ApiBadRequestResponse({
    type: OsbErrorDto,
    description: 'Bad parameters, the environment not ready yet, or the limit of non-expired bindings reached',
    example: { description: 'maximum number of non expired bindings reached: 10' },
  })
  @ApiNotFoundResponse(ENVIRONMENT_NOT_FOUND)
  @ApiUnprocessableEntityResponse({
    type: OsbErrorDto,
    description: 'The environment is being deleted, or its plan is not bindable',
    example: {
      description: 'instance 9f3c2d1e-4b5a-4c6d-8e7f-0a1b2c3d4e5f is being deprovisioned; it cannot be bound',
    },
  })
  @ApiBadGatewayResponse({
    type: OsbErrorDto,
    description: "The runtime's API server failed; nothing was kept",
    example: { description: 'failed to create a Kyma binding: connection refused' },
  })
  @ApiServiceUnavailableResponse({
    type: OsbErrorDto,
    description: 'Creation timed out; nothing was kept',
    example: { description: 'request timeout: binding creation exceeded 15s' },
  })
  async createBinding(
    @CurrentTenant() tenant: Tenant,
    @Param() params: EnvironmentParams,
    @Body() body: CreateEnvironmentBindingRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnvironmentBindingCreatedDto> {
    const created = await this.api.createBinding(tenant, params.environmentInstanceId, body.parameters);
    // Lower-case on purpose: SAP's documented script reads it with sed 's/^.*location: //p'.
    res.setHeader('location', created.bindingId);
    return created.body;
  }

  @Get('environments/:environmentInstanceId/bindings')
  @ApiOperation({ summary: 'The bindings of an environment (metadata only, never credentials)' })
  @ApiOkResponse({ type: EnvironmentBindingListDto })
  @ApiNotFoundResponse(ENVIRONMENT_NOT_FOUND)
  listBindings(
    @CurrentTenant() tenant: Tenant,
    @Param() params: EnvironmentParams,
  ): Promise<EnvironmentBindingListDto> {
    return this.api.listBindings(tenant, params.environmentInstanceId);
  }

  @Get('environments/:environmentInstanceId/bindings/:bindingId')
  @ApiOperation({ summary: 'A binding with its kubeconfig (an expired one, until cleaned up: metadata only)' })
  @ApiOkResponse({
    description: 'The binding with credentials, or the metadata of an expired binding',
    schema: {
      oneOf: [{ $ref: getSchemaPath(EnvironmentBindingDto) }, { $ref: getSchemaPath(EnvironmentBindingSummaryDto) }],
    },
  })
  @ApiNotFoundResponse(BINDING_NOT_FOUND)
  getBinding(
    @CurrentTenant() tenant: Tenant,
    @Param() params: EnvironmentBindingParams,
  ): Promise<EnvironmentBindingDto | EnvironmentBindingSummaryDto> {
    return this.api.getBinding(tenant, params.environmentInstanceId, params.bindingId);
  }

  @Delete('environments/:environmentInstanceId/bindings/:bindingId')
  @ApiOperation({ summary: 'Delete a binding: a token kubeconfig stops working at once' })
  @ApiOkResponse({ type: EnvironmentBindingDeletedDto })
  @ApiNotFoundResponse(BINDING_NOT_FOUND)
  @ApiBadGatewayResponse({
    type: OsbErrorDto,
    description: 'Revocation failed on the runtime; the binding is kept, retry',
    example: { description: 'failed to delete resources for binding ...: connection refused' },
  })
  deleteBinding(
    @CurrentTenant() tenant: Tenant,
    @Param() params: EnvironmentBindingParams,
  ): Promise<EnvironmentBindingDeletedDto> {
    return this.api.deleteBinding(tenant, params.environmentInstanceId, params.bindingId);
  }
}
