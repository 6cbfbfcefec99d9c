import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JsonObject } from '../persistence/json';
import type { OperationState, OperationType } from '../persistence/operation.entity';
import type { RuntimesFilter } from './runtimes-query';

/** The instance columns a runtime listing shows. */
export interface RuntimeInstanceRow {
  instanceId: string;
  runtimeId: string;
  globalAccountId: string;
  subaccountId: string;
  serviceId: string;
  planId: string;
  planName: string;
  platformRegion: string;
  providerRegion: string;
  provider: string;
  euAccess: boolean;
  shootName: string;
  parameters: JsonObject;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface RuntimeOperationRow {
  id: string;
  instanceId: string;
  type: OperationType;
  state: OperationState;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  /** How many operations of this type the instance has. */
  typeTotal: number;
}

const FILTER_COLUMNS: Record<Exclude<keyof RuntimesFilter, 'state'>, string> = {
  globalAccountIds: 'i.global_account_id',
  subaccountIds: 'i.subaccount_id',
  instanceIds: 'i.instance_id',
  runtimeIds: 'i.runtime_id',
  providerRegions: 'i.provider_region',
  shootNames: 'i.shoot_name',
  planNames: 'i.plan_name',
  platformRegions: 'i.platform_region',
};

const INSTANCE_COLUMNS = `
  i.instance_id AS "instanceId", i.runtime_id AS "runtimeId", i.global_account_id AS "globalAccountId",
  i.subaccount_id AS "subaccountId", i.service_id AS "serviceId", i.plan_id AS "planId", i.plan_name AS "planName",
  i.platform_region AS "platformRegion", i.provider_region AS "providerRegion", i.provider, i.eu_access AS "euAccess",
  i.shoot_name AS "shootName", i.parameters, i.created_by AS "createdBy", i.created_at AS "createdAt",
  i.updated_at AS "updatedAt", i.deleted_at AS "deletedAt"`;

/** FROM and WHERE of one filter, shared by the page and the count so that both always agree. */
interface FilterSql {
  from: string;
  params: unknown[];
}

/**
 * Every user value is a bind parameter; only column names (constants above) are written into the SQL.
 * The state of a runtime is `operations.runtime_state` of its last operation (`instances.last_operation_id`;
 * both kept by the database, see migration RuntimesInfoIndexes1795391400000), so a state filter looks at one
 * operation row per instance: the page stops after LIMIT rows and the count never sorts operations.
 */
function filterSql(filter: RuntimesFilter): FilterSql {
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  for (const [field, column] of Object.entries(FILTER_COLUMNS) as Array<[keyof typeof FILTER_COLUMNS, string]>) {
    const values = filter[field];
    if (values.length > 0) {
      conditions.push(`${column} = ANY(${bind(values)}::varchar[])`);
    }
  }
  let join: string;
  const state = filter.state;
  switch (state.kind) {
    case 'only':
      join = `JOIN operations lo ON lo.id = i.last_operation_id AND lo.runtime_state = ANY(${bind(state.states)}::varchar[])`;
      break;
    case 'except':
      // An anti-join: with few excluded runtimes (the default hides only deprovisioned ones) the count
      // hashes just those instead of joining every instance to its operation.
      join = '';
      conditions.push(
        'i.last_operation_id IS NOT NULL',
        `NOT EXISTS (SELECT 1 FROM operations lo WHERE lo.id = i.last_operation_id AND lo.runtime_state = ANY(${bind(state.states)}::varchar[]))`,
      );
      break;
    case 'any':
      // As KEB (an inner join on the last operation), an instance without operations is not listed.
      join = '';
      conditions.push('i.last_operation_id IS NOT NULL');
      break;
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return { from: `FROM instances i ${join} ${where}`, params };
}

/** Read side of instances and operations for the runtimes listing. */
@Injectable()
export class RuntimesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page, oldest first; created_at ties broken by instance id so pages never overlap. */
  async findPage(filter: RuntimesFilter, offset: bigint, limit: number): Promise<RuntimeInstanceRow[]> {
    const { from, params } = filterSql(filter);
    const n = params.length;
    return this.dataSource.query<RuntimeInstanceRow[]>(
      `SELECT ${INSTANCE_COLUMNS} ${from} ORDER BY i.created_at, i.instance_id LIMIT $${n + 1} OFFSET $${n + 2}::bigint`,
      [...params, limit, offset.toString()],
    );
  }

  async count(filter: RuntimesFilter): Promise<number> {
    const { from, params } = filterSql(filter);
    const rows = await this.dataSource.query<Array<{ total: string }>>(`SELECT count(*) AS total ${from}`, params);
    return Number(rows[0].total);
  }

  /**
   * In one query, for every instance: its newest `newestPerType` operations of each type and the oldest
   * one (the provisioning), with per-type totals; newest first. Instances with thousands of updates thus
   * cost no more to ship than others.
   */
  async recentOperations(instanceIds: string[], newestPerType: number): Promise<RuntimeOperationRow[]> {
    if (instanceIds.length === 0) {
      return [];
    }
    return this.dataSource.query<RuntimeOperationRow[]>(
      `SELECT id, "instanceId", type, state, description, "createdAt", "updatedAt", "typeTotal"
         FROM (SELECT o.id, o.instance_id AS "instanceId", o.type, o.state, o.description,
                      o.created_at AS "createdAt", o.updated_at AS "updatedAt",
                      row_number() OVER (PARTITION BY o.instance_id, o.type ORDER BY o.created_at DESC, o.id DESC) AS newest_rank,
                      count(*) OVER (PARTITION BY o.instance_id, o.type)::int AS "typeTotal"
                 FROM operations o
                WHERE o.instance_id = ANY($1::varchar[])) ranked
        WHERE newest_rank <= $2 OR newest_rank = "typeTotal"
        ORDER BY "instanceId", "createdAt" DESC, id DESC`,
      [instanceIds, newestPerType],
    );
  }
}
