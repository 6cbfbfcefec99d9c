import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { JsonObject } from '../persistence/json';
import type { OperationState, OperationType } from '../persistence/operation.entity';
import type { ListingPosition, RuntimesFilter, StateFilter } from './runtimes-query';

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
  /** createdAt to the microsecond, for a cursor (a Date keeps only milliseconds). */
  createdAtKey: string;
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

/** Filter → column. Plan and regions are on `runtime_states` too, so that broad listings never join instances. */
const FILTER_COLUMNS: Record<Exclude<keyof RuntimesFilter, 'state'>, string> = {
  globalAccountIds: 'i.global_account_id',
  subaccountIds: 'i.subaccount_id',
  instanceIds: 'i.instance_id',
  runtimeIds: 'i.runtime_id',
  providerRegions: 's.provider_region',
  shootNames: 'i.shoot_name',
  planNames: 's.plan_name',
  platformRegions: 's.platform_region',
};

/** The filters `runtime_counts` is keyed by (besides the state), with their column there. */
const COUNTED_COLUMNS: Partial<Record<keyof typeof FILTER_COLUMNS, string>> = {
  providerRegions: 'provider_region',
  planNames: 'plan_name',
  platformRegions: 'platform_region',
};

const INSTANCE_COLUMNS = `
  i.instance_id AS "instanceId", i.runtime_id AS "runtimeId", i.global_account_id AS "globalAccountId",
  i.subaccount_id AS "subaccountId", i.service_id AS "serviceId", i.plan_id AS "planId", i.plan_name AS "planName",
  i.platform_region AS "platformRegion", i.provider_region AS "providerRegion", i.provider, i.eu_access AS "euAccess",
  i.shoot_name AS "shootName", i.parameters, i.created_by AS "createdBy", i.created_at AS "createdAt",
  i.updated_at AS "updatedAt", i.deleted_at AS "deletedAt",
  to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtKey"`;

/** Where a page starts: after so many rows, or after a given row of the listing's order (a cursor). */
export type PageStart = { offset: bigint } | { after: ListingPosition };

/** Builds the conditions of one query; every user value becomes a bind parameter. */
class SqlConditions {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];

  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** `column` is one of `values`; an empty list filters nothing and adds no condition (then false). */
  anyOf(column: string, values: readonly string[]): boolean {
    if (values.length === 0) {
      return false;
    }
    this.conditions.push(`${column} = ANY(${this.bind(values)}::varchar[])`);
    return true;
  }

  /** The state filter on `column`; `any` adds no condition (then false). */
  state(state: StateFilter, column: string): boolean {
    switch (state.kind) {
      case 'only':
        this.conditions.push(`${column} = ANY(${this.bind(state.states)}::varchar[])`);
        return true;
      case 'except':
        this.conditions.push(`${column} <> ALL(${this.bind(state.states)}::varchar[])`);
        return true;
      case 'any':
        return false;
    }
  }

  where(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/**
 * FROM and WHERE of one filter, over `runtime_states` (joined to instances only for the filters it lacks), shared
 * by the page and the exact count so that both agree. Only column names (constants above) are written into the
 * SQL. The state of a runtime is that of its last operation, kept in `runtime_states` by the database (migration
 * RuntimeCounts1796140800000); as in KEB (an inner join on the last operation), an instance without operations
 * has none and is not listed.
 */
function filterSql(filter: RuntimesFilter): SqlConditions & { from: string } {
  const sql = new SqlConditions();
  let joinsInstances = false;
  for (const [field, column] of Object.entries(FILTER_COLUMNS) as Array<[keyof typeof FILTER_COLUMNS, string]>) {
    if (sql.anyOf(column, filter[field])) {
      joinsInstances ||= column.startsWith('i.');
    }
  }
  if (!sql.state(filter.state, 's.runtime_state')) {
    sql.conditions.push('s.runtime_state IS NOT NULL');
  }
  const from = joinsInstances
    ? 'FROM runtime_states s JOIN instances i ON i.instance_id = s.instance_id'
    : 'FROM runtime_states s';
  return Object.assign(sql, { from });
}

/** Whether `runtime_counts` can answer the count of this filter: no filter outside its keys. */
export function isCountedFilter(filter: RuntimesFilter): boolean {
  return (Object.keys(FILTER_COLUMNS) as Array<keyof typeof FILTER_COLUMNS>).every(
    (field) => filter[field].length === 0 || COUNTED_COLUMNS[field] !== undefined,
  );
}

/** Read side of instances and operations for the runtimes listing. */
@Injectable()
export class RuntimesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One page, oldest first; created_at ties broken by instance id so pages never overlap. The page's keys
   * come from `runtime_states` first (its index holds the order and the broad filters, so even an OFFSET
   * skips index entries only), and only the page's own rows are read from instances.
   */
  async findPage(filter: RuntimesFilter, start: PageStart, limit: number): Promise<RuntimeInstanceRow[]> {
    const sql = filterSql(filter);
    let offset = '';
    if ('after' in start) {
      sql.conditions.push(
        `(s.created_at, s.instance_id) > (${sql.bind(start.after.createdAt)}::timestamptz, ${sql.bind(start.after.instanceId)}::varchar)`,
      );
    } else {
      offset = `OFFSET ${sql.bind(start.offset.toString())}::bigint`;
    }
    return this.dataSource.query<RuntimeInstanceRow[]>(
      `SELECT ${INSTANCE_COLUMNS}
         FROM (SELECT s.instance_id, s.created_at ${sql.from} ${sql.where()}
                ORDER BY s.created_at, s.instance_id LIMIT ${sql.bind(limit)} ${offset}) page
         JOIN instances i ON i.instance_id = page.instance_id
        ORDER BY page.created_at, page.instance_id`,
      sql.params,
    );
  }

  /** How many runtimes match: from `runtime_counts` where it can answer, else by counting them. */
  count(filter: RuntimesFilter, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return isCountedFilter(filter) ? this.countFromTotals(filter, manager) : this.countRows(filter, manager);
  }

  /** Counts the matching runtimes one by one: exact for every filter, and as costly as there are matches. */
  async countRows(filter: RuntimesFilter, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const sql = filterSql(filter);
    const rows = await manager.query<Array<{ total: string }>>(
      `SELECT count(*) AS total ${sql.from} ${sql.where()}`,
      sql.params,
    );
    return Number(rows[0].total);
  }

  /** Sums `runtime_counts`: a few rows per plan, region and state, whatever the number of runtimes. */
  async countFromTotals(filter: RuntimesFilter, manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (!isCountedFilter(filter)) {
      throw new Error('runtime_counts is not keyed by every field of this filter');
    }
    const sql = new SqlConditions();
    for (const [field, column] of Object.entries(COUNTED_COLUMNS) as Array<[keyof typeof FILTER_COLUMNS, string]>) {
      sql.anyOf(column, filter[field]);
    }
    sql.state(filter.state, 'runtime_state');
    const rows = await manager.query<Array<{ total: string }>>(
      `SELECT coalesce(sum(runtimes), 0) AS total FROM runtime_counts ${sql.where()}`,
      sql.params,
    );
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
