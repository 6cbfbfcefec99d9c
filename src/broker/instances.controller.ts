import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Put, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { EmptyObjectDto, OsbErrorDto } from '../common/osb-dto';
import {
  AcceptsIncompleteQuery,
  DeprovisionQuery,
  InstanceParams,
  InstanceResponseDto,
  LastOperationQuery,
  LastOperationResponseDto,
  ProvisionRequestDto,
  ProvisionResponseDto,
  UpdateRequestDto,
} from './dto/instance.dto';
import { OSB_PREFIXES } from './catalog.controller';
import { InstancesService } from './instances.service';
import { OsbApi } from './osb-api.decorator';
import { MinOsbVersion } from './osb-version.guard';
import { parseOriginatingIdentity } from './originating-identity';
import { RequireScope } from '../auth/require-scope.decorator';

const REGION = { name: 'region', required: false, description: 'SAP BTP platform region', example: 'cf-eu10' };

@ApiTags('OSB service instances')
@Controller(OSB_PREFIXES)
@OsbApi()
@RequireScope('osb')
@ApiParam(REGION)
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Put('service_instances/:instance_id')
  @ApiOperation({ summary: 'Provision a Kyma runtime (asynchronous: accepts_incomplete=true required)' })
  @ApiAcceptedResponse({ type: ProvisionResponseDto, description: 'Provisioning accepted or in progress' })
  @ApiOkResponse({ type: ProvisionResponseDto, description: 'Already provisioned with identical attributes' })
  @ApiBadRequestResponse({ type: OsbErrorDto, description: 'Unknown service/plan or invalid parameters' })
  @ApiConflictResponse({ type: OsbErrorDto, description: 'The id exists with different attributes' })
  @ApiUnprocessableEntityResponse({ type: OsbErrorDto, description: 'AsyncRequired' })
  async provision(
    @Param() params: InstanceParams,
    @Param('region') region: string | undefined,
    @Query() query: AcceptsIncompleteQuery,
    @Body() body: ProvisionRequestDto,
    @Headers('x-broker-api-originating-identity') identity: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProvisionResponseDto> {
    const answer = await this.instances.provision({
      region,
      instanceId: params.instance_id,
      acceptsIncomplete: query.accepts_incomplete === 'true',
      serviceId: body.service_id,
      planId: body.plan_id,
      parameters: body.parameters,
      context: body.context,
      originatingUser: parseOriginatingIdentity(identity)?.user,
    });
    res.status(answer.status);
    return answer.body;
  }

  @Patch('service_instances/:instance_id')
  @ApiOperation({ summary: 'Update parameters or plan (asynchronous) or context (synchronous)' })
  @ApiAcceptedResponse({ type: ProvisionResponseDto })
  @ApiOkResponse({ type: EmptyObjectDto, description: 'Context-only update applied' })
  @ApiBadRequestResponse({ type: OsbErrorDto })
  @ApiNotFoundResponse({ type: OsbErrorDto })
  @ApiUnprocessableEntityResponse({
    type: OsbErrorDto,
    description: 'AsyncRequired, ConcurrencyError or plan change not allowed',
  })
  async update(
    @Param() params: InstanceParams,
    @Param('region') region: string | undefined,
    @Query() query: AcceptsIncompleteQuery,
    @Body() body: UpdateRequestDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProvisionResponseDto> {
    const answer = await this.instances.update({
      region,
      instanceId: params.instance_id,
      acceptsIncomplete: query.accepts_incomplete === 'true',
      serviceId: body.service_id,
      planId: body.plan_id,
      parameters: body.parameters,
      context: body.context,
    });
    res.status(answer.status);
    return answer.body;
  }

  @Delete('service_instances/:instance_id')
  @ApiOperation({ summary: 'Deprovision (asynchronous); existing bindings do not block it' })
  @ApiAcceptedResponse({ type: ProvisionResponseDto })
  @ApiGoneResponse({ type: EmptyObjectDto, description: 'The instance does not exist' })
  @ApiBadRequestResponse({ type: OsbErrorDto, description: 'service_id or plan_id missing' })
  async deprovision(
    @Param() params: InstanceParams,
    @Query() query: DeprovisionQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProvisionResponseDto> {
    const answer = await this.instances.deprovision(params.instance_id, query.accepts_incomplete === 'true');
    res.status(answer.status);
    return answer.body;
  }

  @Get('service_instances/:instance_id')
  @MinOsbVersion('2.14')
  @ApiOperation({ summary: 'Fetch a provisioned instance' })
  @ApiOkResponse({ type: InstanceResponseDto })
  @ApiNotFoundResponse({ type: OsbErrorDto, description: 'Unknown, deprovisioned, or provisioning not finished' })
  get(@Param() params: InstanceParams): Promise<InstanceResponseDto> {
    return this.instances.get(params.instance_id);
  }

  @Get('service_instances/:instance_id/last_operation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Poll the last (or a given) operation of an instance' })
  @ApiOkResponse({ type: LastOperationResponseDto })
  @ApiGoneResponse({ type: EmptyObjectDto, description: 'Deprovisioned: the platform may forget the instance' })
  @ApiNotFoundResponse({ type: OsbErrorDto })
  lastOperation(
    @Param() params: InstanceParams,
    @Query() query: LastOperationQuery,
  ): Promise<LastOperationResponseDto> {
    return this.instances.lastOperation(params.instance_id, query.operation);
  }
}
