import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { OperationEntity } from '../../../src/persistence/operation.entity';
import { RuntimeCountsCompactor } from '../../../src/runtimes-info/runtime-counts.compactor';
import { RUNTIME_STATES } from '../../../src/runtimes-info/runtime-state';
import { parseRuntimesQuery, RuntimesFilter } from '../../../src/runtimes-info/runtimes-query';
import { isCountedFilter, RuntimesRepository } from '../../../src/runtimes-info/runtimes.repository';
import { insertRuntime, uniqueAccount } from '../../factories/instances';
import { BACKENDS } from '../../support/databases';
import { connect, runtimesConfig } from './runtimes-test-kit';
import { SchedulerRegistry } from '@nestjs/schedule';

const filterOf = (qs: Record<string, string | string[]>): RuntimesFilter => parseRuntimesQuery(qs, 100).filter;

/** A plan name no other test uses: counts under it are this test's alone, whatever else runs meanwhile. */
const uniquePlan = () => `plan-${randomUUID().slice(0, 8)}`;

/** The filters `runtime_counts` answers, over one plan (or none), for every state filter. */
function countedFilters(plan?: string): RuntimesFilter[] {
  const scope = plan ? { plan } : {};
  return [
    filterOf(scope),
    filterOf({ ...scope, state: 'all' }),
    ...RUNTIME_STATES.map((state) => filterOf({ ...scope, state })),
    filterOf({ ...scope, state: ['succeeded', 'error'] }),
    filterOf({ ...scope, region: 'eu-central-1' }),
    filterOf({ ...scope, platform_region: ['cf-eu10', 'cf-us10'], state: 'all' }),
    filterOf({ ...scope, region: 'westeurope', platform_region: 'cf-eu10' }),
  ];
}

describe.each(BACKENDS)('runtime_counts on %s', (backend) => {
  let ds: DataSource;
  let repo: RuntimesRepository;
  let compactor: RuntimeCountsCompactor;

  beforeAll(async () => {
    ds = await connect(backend);
    repo = new RuntimesRepository(ds);
    compactor = new RuntimeCountsCompactor(ds, new SchedulerRegistry(), runtimesConfig());
  });

  afterAll(async () => {
    await ds.destroy();
  });

  /**
   * The count of a filter straight from instances and operations, without anything the triggers keep: the
   * state is that of the newest operation by created_at, found by sorting.
   */
  const truth = async (f: RuntimesFilter, m: EntityManager): Promise<number> => {
    const params: unknown[] = [];
    const conditions = ['last.runtime_state IS NOT NULL'];
    const columns = { planNames: 'plan_name', providerRegions: 'provider_region', platformRegions: 'platform_region' };
    for (const [field, column] of Object.entries(columns) as Array<[keyof typeof columns, string]>) {
      if (f[field].length > 0) {
        params.push(f[field]);
        conditions.push(`i.${column} = ANY($${params.length})`);
      }
    }
    if (f.state.kind !== 'any') {
      params.push(f.state.states);
      conditions.push(
        f.state.kind === 'only'
          ? `last.runtime_state = ANY($${params.length})`
          : `last.runtime_state <> ALL($${params.length})`,
      );
    }
    const rows = await m.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM instances i
         JOIN LATERAL (SELECT o.runtime_state FROM operations o WHERE o.instance_id = i.instance_id
                        ORDER BY o.created_at DESC, o.id DESC LIMIT 1) last ON true
        WHERE ${conditions.join(' AND ')}`,
      params,
    );
    return rows[0].n;
  };

  /**
   * runtime_counts, the exact count the API uses for other filters, and the truth agree. All three in one
   * snapshot, so that other suites writing meanwhile cannot make them differ.
   */
  const expectCountsAgree = async (filters: RuntimesFilter[]): Promise<number[]> => {
    const { totals, rows, truths } = await ds.transaction('REPEATABLE READ', async (m: EntityManager) => {
      const result = { totals: [] as number[], rows: [] as number[], truths: [] as number[] };
      for (const f of filters) {
        result.totals.push(await repo.countFromTotals(f, m));
        result.rows.push(await repo.countRows(f, m));
        result.truths.push(await truth(f, m));
      }
      return result;
    });
    expect({ totals, rows }).toEqual({ totals: truths, rows: truths });
    return truths;
  };

  it('answers only filters it is keyed by', () => {
    expect(isCountedFilter(filterOf({ plan: 'aws', region: 'x', platform_region: 'y', state: 'all' }))).toBe(true);
    for (const param of ['account', 'subaccount', 'instance_id', 'runtime_id', 'shoot']) {
      expect(isCountedFilter(filterOf({ [param]: 'x' }))).toBe(false);
    }
  });

  it('counts what the rows count, for every state, plan and region filter, over the whole table', async () => {
    await expectCountsAgree(countedFilters());
  });

  it('follows inserts, state changes, new last operations, plan changes and deletions', async () => {
    const [plan, otherPlan] = [uniquePlan(), uniquePlan()];
    const counts = (p: string) => expectCountsAgree(countedFilters(p));
    const ops = ds.getRepository(OperationEntity);
    const empty = await counts(plan);
    expect(empty.every((n) => n === 0)).toBe(true);

    const a = await insertRuntime(ds, { planName: plan, providerRegion: 'eu-central-1' }, [
      { type: 'provision', state: 'in progress' },
    ]);
    const b = await insertRuntime(ds, { planName: plan, platformRegion: 'cf-us10', providerRegion: 'westeurope' }, [
      { type: 'provision', state: 'succeeded' },
    ]);
    // Without operations an instance is neither listed nor counted.
    await insertRuntime(ds, { planName: plan }, []);
    expect(await repo.countFromTotals(filterOf({ plan, state: 'all' }))).toBe(2);
    expect(await repo.countFromTotals(filterOf({ plan, state: 'provisioning' }))).toBe(1);
    await counts(plan);

    await ops.update({ id: a.operations[0].id }, { state: 'succeeded' });
    expect(await repo.countFromTotals(filterOf({ plan, state: 'succeeded' }))).toBe(2);
    await counts(plan);

    const deprovision = {
      ...a.operations[0],
      id: randomUUID(),
      type: 'deprovision' as const,
      state: 'in progress' as const,
    };
    deprovision.createdAt = new Date(a.operations[0].createdAt.getTime() + 60_000);
    await ops.insert(deprovision);
    expect(await repo.countFromTotals(filterOf({ plan, state: 'deprovisioning' }))).toBe(1);
    await ops.update({ id: deprovision.id }, { state: 'succeeded' });
    // Hidden by default, listed with state=all.
    expect(await repo.countFromTotals(filterOf({ plan }))).toBe(1);
    expect(await repo.countFromTotals(filterOf({ plan, state: 'all' }))).toBe(2);
    await counts(plan);

    // A state change of an operation that is no longer the last one changes nothing.
    await ops.update({ id: a.operations[0].id }, { state: 'failed' });
    expect(await repo.countFromTotals(filterOf({ plan, state: 'failed' }))).toBe(0);

    await ds.query('UPDATE instances SET plan_name = $1 WHERE instance_id = $2', [otherPlan, b.instance.instanceId]);
    expect(await repo.countFromTotals(filterOf({ plan, state: 'succeeded' }))).toBe(0);
    expect(await repo.countFromTotals(filterOf({ plan: otherPlan, state: 'succeeded' }))).toBe(1);
    await counts(plan);
    await counts(otherPlan);

    // Deleting the last operation falls back to the one before it.
    await ops.delete({ id: deprovision.id });
    expect(await repo.countFromTotals(filterOf({ plan, state: 'failed' }))).toBe(1);
    await ds.query('DELETE FROM instances WHERE instance_id = ANY($1)', [
      [a.instance.instanceId, b.instance.instanceId],
    ]);
    const after = await counts(plan);
    expect(after.every((n) => n === 0)).toBe(true);
    await counts(otherPlan);
  });

  it('keeps the totals when folding, and folds the changes into one row per key', async () => {
    const plan = uniquePlan();
    for (let n = 0; n < 5; n++) {
      const { operations } = await insertRuntime(ds, { planName: plan }, [{ type: 'provision', state: 'in progress' }]);
      await ds.getRepository(OperationEntity).update({ id: operations[0].id }, { state: 'succeeded' });
    }
    const rowsOfPlan = async () =>
      (
        await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM runtime_counts WHERE plan_name = $1', [
          plan,
        ])
      )[0].n;
    expect(await rowsOfPlan()).toBe(15); // +1 provisioning, then -1 provisioning and +1 succeeded, per runtime
    const before = await expectCountsAgree(countedFilters(plan));
    await compactor.run();
    expect(await rowsOfPlan()).toBe(1);
    expect(await expectCountsAgree(countedFilters(plan))).toEqual(before);
    await expectCountsAgree(countedFilters());
  });

  it('stays exact under concurrent state changes, new operations, plan changes and folding', async () => {
    const [plan, otherPlan] = [uniquePlan(), uniquePlan()];
    const runtimes = await Promise.all(
      Array.from({ length: 12 }, () =>
        insertRuntime(ds, { planName: plan, globalAccountId: uniqueAccount() }, [
          { type: 'provision', state: 'in progress' },
        ]),
      ),
    );
    const failures: unknown[] = [];
    const guard = (work: Promise<unknown>) => work.catch((err: unknown) => failures.push(err));
    const rounds = 6;
    const work: Array<Promise<unknown>> = [];
    for (const [n, { instance, operations }] of runtimes.entries()) {
      work.push(
        guard(
          (async () => {
            let current = operations[0].id;
            for (let round = 0; round < rounds; round++) {
              // The engine: a step's outcome, one statement without the instance's lock.
              const engine = ds.query(`UPDATE operations SET state = 'succeeded' WHERE id = $1`, [current]);
              // A plan change as the update workflow applies it: one statement without the operation's lock.
              const planChange = ds.query('UPDATE instances SET plan_name = $1 WHERE instance_id = $2', [
                round % 2 === n % 2 ? otherPlan : plan,
                instance.instanceId,
              ]);
              // A request under the instance's lock: cancels what runs and starts the next operation.
              const next = randomUUID();
              const request = ds.transaction(async (tx) => {
                await tx.query('SELECT 1 FROM instances WHERE instance_id = $1 FOR UPDATE', [instance.instanceId]);
                await tx.query(
                  `UPDATE operations SET state = 'failed' WHERE instance_id = $1 AND state = 'in progress'`,
                  [instance.instanceId],
                );
                await tx.query(
                  `INSERT INTO operations (id, instance_id, type, state, next_attempt_at, created_at, updated_at)
                   VALUES ($1, $2, $3, 'in progress', now(), now() + $4 * interval '1 minute', now())`,
                  [next, instance.instanceId, round % 3 === 2 ? 'deprovision' : 'update', round + 1],
                );
              });
              await Promise.all([engine, planChange, request, n === 0 ? compactor.run() : undefined]);
              current = next;
            }
          })(),
        ),
      );
    }
    await Promise.all(work);
    expect(failures).toEqual([]);
    const all = (p: string) => filterOf({ plan: p, state: 'all' });
    const [inPlan, inOtherPlan] = await ds.transaction((m) =>
      Promise.all([truth(all(plan), m), truth(all(otherPlan), m)]),
    );
    expect(inPlan + inOtherPlan).toBe(runtimes.length);
    expect(await repo.countFromTotals(all(plan))).toBe(inPlan);
    expect(await repo.countFromTotals(all(otherPlan))).toBe(inOtherPlan);
    await expectCountsAgree(countedFilters(plan));
    await expectCountsAgree(countedFilters(otherPlan));
    await compactor.run();
    await expectCountsAgree(countedFilters());
  });
});
