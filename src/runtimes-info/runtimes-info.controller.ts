import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/require-scope.decorator';
import { OsbErrorDto } from '../common/osb-dto';
import { RuntimesPageDto } from './dto/runtime.dto';
import { RuntimesQueryDto } from './dto/runtimes-query.dto';
import { ALL_STATES, RUNTIME_STATES } from './runtime-state';
import { RuntimesInfoService } from './runtimes-info.service';

const REPEATABLE = 'Repeat the parameter to match any of several values.';

function repeatableFilter(name: string, description: string, example: string): MethodDecorator {
  return ApiQuery({
    name,
    required: false,
    isArray: true,
    type: String,
    description: `${description}. ${REPEATABLE}`,
    example: [example],
  });
}

const RuntimesQueryParams = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({
      name: 'page',
      required: false,
      type: Number,
      description: 'Page number, from 1 (KEB paging; not together with cursor)',
      example: 1,
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      type: String,
      description:
        'The `nextCursor` of the previous page: the page after it, at the same cost however deep (our addition to KEB; not together with page)',
    }),
    ApiQuery({
      name: 'page_size',
      required: false,
      type: Number,
      description: 'Runtimes per page, from 1 to the configured maximum (default: the maximum, 100)',
      example: 100,
    }),
    repeatableFilter('account', 'Global account id', '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b'),
    repeatableFilter('subaccount', 'Subaccount id', '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d'),
    repeatableFilter('instance_id', 'Service instance id', '5f9a1c2e-7b3d-4e6f-8a9b-0c1d2e3f4a5b'),
    repeatableFilter('runtime_id', 'Runtime id', 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e'),
    repeatableFilter('region', 'Cloud provider region of the cluster', 'eu-central-1'),
    repeatableFilter('shoot', 'Gardener shoot name', 'c-1a2b3c4'),
    repeatableFilter('plan', 'Plan name', 'aws'),
    repeatableFilter('platform_region', 'SAP BTP platform region of the subaccount (our addition to KEB)', 'cf-eu11'),
    ApiQuery({
      name: 'state',
      required: false,
      isArray: true,
      enum: [...RUNTIME_STATES, ALL_STATES],
      description:
        'Runtime state, derived from the last operation. Without it deprovisioned runtimes are hidden; `all` lists ' +
        `every runtime. suspended, upgrading and deprovisionincomplete are accepted for KEB compatibility and match nothing here. ${REPEATABLE}`,
      example: ['succeeded'],
    }),
  );

/** KEB's runtime listing, under its current path (/runtimes) and its historic one (/info/runtimes). */
@ApiTags('runtimes')
@Controller()
@RequireScope('runtimesRead')
export class RuntimesInfoController {
  constructor(private readonly runtimes: RuntimesInfoService) {}

  @Get(['info/runtimes', 'runtimes'])
  @ApiOperation({
    summary: 'List runtimes (service instances), paged and filtered',
    description:
      'Oldest first. Filters combine with AND; repeated values of one filter with OR. `totalCount` counts the ' +
      'matching runtimes on all pages. Provisioning parameters are listed without secrets. Page by `page` ' +
      "(as KEB) or by `cursor` (the previous page's `nextCursor`), whose cost does not grow with the depth.",
  })
  @RuntimesQueryParams()
  @ApiOkResponse({ type: RuntimesPageDto })
  @ApiBadRequestResponse({
    type: OsbErrorDto,
    description:
      'A paging parameter is not a single integer in range, the cursor is not one handed out, page and cursor are both given, a filter is malformed, or a state is unknown',
    example: { description: 'while getting query parameters: page_size is bigger than maxPage(100)' },
  })
  list(@Query() query: RuntimesQueryDto): Promise<RuntimesPageDto> {
    return this.runtimes.list(query);
  }
}
