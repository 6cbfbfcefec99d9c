import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { RuntimeDto, RuntimesPageDto } from './dto/runtime.dto';
import { toRuntimeDto, UPDATES_SHOWN } from './runtime-dto.mapper';
import { parseRuntimesQuery, RawRuntimesQuery, RuntimesFilter } from './runtimes-query';
import { RuntimeOperationRow, RuntimesRepository } from './runtimes.repository';

/** `GET /runtimes`: KEB's paged, filtered runtime listing. Three queries at most, whatever the table size. */
@Injectable()
export class RuntimesInfoService {
  constructor(
    private readonly runtimes: RuntimesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(rawQuery: RawRuntimesQuery): Promise<RuntimesPageDto> {
    const { page, pageSize, filter } = parseRuntimesQuery(rawQuery, this.config.runtimesInfo.maxPageSize);
    // BigInt: page is any safe integer, and page × page_size may not be one.
    const offset = (BigInt(page) - 1n) * BigInt(pageSize);
    const instances = await this.runtimes.findPage(filter, offset, pageSize);
    const [totalCount, operations] = await Promise.all([
      this.totalCount(filter, offset, pageSize, instances.length),
      this.runtimes.recentOperations(
        instances.map((i) => i.instanceId),
        UPDATES_SHOWN,
      ),
    ]);
    const byInstance = groupByInstance(operations);
    const data: RuntimeDto[] = instances.map((instance) =>
      toRuntimeDto(instance, byInstance.get(instance.instanceId) ?? [], this.config.broker.defaultRequestRegion),
    );
    return { data, count: data.length, totalCount };
  }

  /** A page that is not full, and not past the end, already tells the total: the count query is skipped. */
  private async totalCount(filter: RuntimesFilter, offset: bigint, pageSize: number, found: number): Promise<number> {
    if (found < pageSize && (found > 0 || offset === 0n)) {
      return Number(offset) + found;
    }
    return this.runtimes.count(filter);
  }
}

function groupByInstance(operations: RuntimeOperationRow[]): Map<string, RuntimeOperationRow[]> {
  const groups = new Map<string, RuntimeOperationRow[]>();
  for (const op of operations) {
    const group = groups.get(op.instanceId);
    if (group) {
      group.push(op);
    } else {
      groups.set(op.instanceId, [op]);
    }
  }
  return groups;
}
