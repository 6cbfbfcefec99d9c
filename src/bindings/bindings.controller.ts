import { Body, Controller, Delete, Get, Headers, Param, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { OSB_PREFIXES } from '../broker/catalog.controller';
import { OsbApi } from '../broker/osb-api.decorator';
import { MinOsbVersion } from '../broker/osb-version.guard';
import { parseOriginatingIdentity } from '../broker/originating-identity';
import { EmptyObjectDto, OsbErrorDto } from '../common/osb-dto';
import { LastOperationResponseDto } from '../broker/dto/instance.dto';
import { BindingParams, BindingResponseDto, BindRequestDto, UnbindQuery } from './dto/binding.dto';
import { BindingsService } from './bindings.service';
import { RequireScope } from '../auth/require-scope.decorator';

@ApiTags('OSB service bindings')
@Controller(OSB_PREFIXES)
@OsbApi()
@RequireScope('osb')
@ApiParam({ name: 'region', required: false, description: 'SAP BTP platform region', example: 'cf-eu10' })
export class BindingsController {
  constructor(private readonly bindings: BindingsService) {}

  @Put('service_instances/:instance_id/service_bindings/:binding_id')
  @ApiOperation({
    summary: 'Create a kubeconfig binding (synchronous)',
    description:
      'At most 10 non-expired bindings per instance. The same id with the same parameters answers 200 with the stored credentials; different parameters answer 409.',
  })
  @ApiCreatedResponse({ type: BindingResponseDto })
  @ApiOkResponse({ type: BindingResponseDto, description: 'The binding exists with identical parameters' })
  @ApiBadRequestResponse({
    type: OsbErrorDto,
    description: 'Bad parameters, instance not ready, or the limit of non-expired bindings reached',
  })
  @ApiNotFoundResponse({ type: OsbErrorDto, description: 'Unknown instance' })
  @ApiConflictResponse({ type: OsbErrorDto, description: 'The binding exists with different parameters' })
  @ApiUnprocessableEntityResponse({
    type: OsbErrorDto,
    description: 'BindingNotSupported, or the instance is being deprovisioned',
  })
  @ApiBadGatewayResponse({ type: OsbErrorDto, description: "The runtime's API server failed; nothing was kept" })
  @ApiServiceUnavailableResponse({ type: OsbErrorDto, description: 'Creation timed out; nothing was kept' })
  async bind(
    @Param() params: BindingParams,
    @Body() body: BindRequestDto,
    @Headers('x-broker-api-originating-identity') identity: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BindingResponseDto> {
    const answer = await this.bindings.bind({
      instanceId: params.instance_id,
      bindingId: params.binding_id,
      parameters: body.parameters,
      context: body.context,
      originatingUser: parseOriginatingIdentity(identity)?.user,
    });
    res.status(answer.status);
    return answer.body;
  }

  @Get('service_instances/:instance_id/service_bindings/:binding_id')
  @MinOsbVersion('2.14')
  @ApiOperation({ summary: 'Fetch a binding' })
  @ApiOkResponse({ type: BindingResponseDto })
  @ApiNotFoundResponse({
    type: OsbErrorDto,
    description: 'Binding not found / Binding expired / Binding creation in progress',
  })
  get(@Param() params: BindingParams): Promise<BindingResponseDto> {
    return this.bindings.get(params.instance_id, params.binding_id);
  }

  @Delete('service_instances/:instance_id/service_bindings/:binding_id')
  @ApiOperation({
    summary: 'Delete a binding',
    description:
      'Token bindings are revoked at once (their ServiceAccount is deleted). Gardener admin-certificate bindings cannot be revoked: only the record is removed and the certificate stays valid until it expires.',
  })
  @ApiOkResponse({ type: EmptyObjectDto })
  @ApiGoneResponse({ type: EmptyObjectDto, description: 'Binding or instance does not exist' })
  @ApiBadRequestResponse({ type: OsbErrorDto, description: 'service_id or plan_id missing' })
  @ApiBadGatewayResponse({
    type: OsbErrorDto,
    description: 'Revocation failed on the runtime; the binding is kept, retry',
  })
  async unbind(@Param() params: BindingParams, @Query() _query: UnbindQuery): Promise<EmptyObjectDto> {
    await this.bindings.unbind(params.instance_id, params.binding_id);
    return {};
  }

  @Get('service_instances/:instance_id/service_bindings/:binding_id/last_operation')
  @ApiOperation({ summary: 'Binding state (bindings are synchronous: succeeded once created)' })
  @ApiOkResponse({ type: LastOperationResponseDto })
  @ApiNotFoundResponse({ type: OsbErrorDto })
  lastOperation(@Param() params: BindingParams): Promise<LastOperationResponseDto> {
    return this.bindings.lastOperation(params.instance_id, params.binding_id);
  }
}
