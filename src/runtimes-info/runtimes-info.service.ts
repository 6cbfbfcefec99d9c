import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { RuntimeDto, RuntimesPageDto } from './dto/runtime.dto';
import { toRuntimeDto, UPDATES_SHOWN } from './runtime-dto.mapper';
import { encodeCursor, parseRuntimesQuery, RawRuntimesQuery, RuntimesFilter } from './runtimes-query';
import { PageStart, RuntimeOperationRow, RuntimesRepository } from './runtimes.repository';

/**
 * `GET /runtimes`: KEB's paged, filtered runtime listing, plus cursor paging. Three queries at most; with a
 * cursor or on page 1, and with the count from `runtime_counts` for broad filters, none of them grows with the table.
 */
@Injectable()
export class RuntimesInfoService {
  constructor(
    private readonly runtimes: RuntimesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(rawQuery: RawRuntimesQuery): Promise<RuntimesPageDto> {
    const { start, pageSize, filter } = parseRuntimesQuery(rawQuery, this.config.runtimesInfo.maxPageSize);
    // BigInt: page is any safe integer, and page × page_size may not be one.
    const pageStart: PageStart = 'page' in start ? { offset: (BigInt(start.page) - 1n) * BigInt(pageSize) } : start;
    const instances = await this.runtimes.findPage(filter, pageStart, pageSize);
    const [totalCount, operations] = await Promise.all([
      this.totalCount(filter, pageStart, pageSize, instances.length),
      this.runtimes.recentOperations(
        instances.map((i) => i.instanceId),
        UPDATES_SHOWN,
      ),
    ]);
    const byInstance = groupByInstance(operations);
    const data: RuntimeDto[] = instances.map((instance) =>
      toRuntimeDto(instance, byInstance.get(instance.instanceId) ?? [], this.config.broker.defaultRequestRegion),
    );
    const last = instances.length === pageSize ? instances[instances.length - 1] : undefined;
    return {
      data,
      count: data.length,
      totalCount,
      ...(last ? { nextCursor: encodeCursor({ createdAt: last.createdAtKey, instanceId: last.instanceId }) } : {}),
    };
  }

  /** A first page that is not full already tells the total, as does a page by number that is not full but not past the end. */
  private async totalCount(filter: RuntimesFilter, start: PageStart, pageSize: number, found: number): Promise<number> {
    if ('offset' in start && found < pageSize && (found > 0 || start.offset === 0n)) {
      return Number(start.offset) + found;
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
