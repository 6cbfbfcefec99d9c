import { DataSource } from 'typeorm';
import { OperationEntity, OperationState, OperationType } from '../../../src/persistence/operation.entity';
import { RuntimeState, runtimeStateOf } from '../../../src/runtimes-info/runtime-state';
import { RuntimesInfoService } from '../../../src/runtimes-info/runtimes-info.service';
import { insertRuntime, insertRuntimes, OperationSpec, uniqueAccount } from '../../factories/instances';
import { BACKENDS } from '../../support/databases';
import { connect, DEFAULT_REGION, ids, lister, runtimesService } from './runtimes-test-kit';

const TYPES: OperationType[] = ['provision', 'update', 'deprovision'];
const STATES: OperationState[] = ['pending', 'in progress', 'succeeded', 'failed'];

/** Operation histories that end in each runtime state our broker can produce. */
const HISTORY: Record<Exclude<RuntimeState, 'suspended' | 'upgrading' | 'deprovisionincomplete'>, OperationSpec[]> = {
  provisioning: [{ type: 'provision', state: 'in progress' }],
  succeeded: [{ type: 'provision', state: 'succeeded' }],
  failed: [{ type: 'provision', state: 'failed' }],
  updating: [
    { type: 'provision', state: 'succeeded' },
    { type: 'update', state: 'pending' },
  ],
  error: [
    { type: 'provision', state: 'succeeded' },
    { type: 'update', state: 'failed' },
  ],
  deprovisioning: [
    { type: 'provision', state: 'succeeded' },
    { type: 'deprovision', state: 'in progress' },
  ],
  deprovisioned: [
    { type: 'provision', state: 'succeeded' },
    { type: 'deprovision', state: 'succeeded' },
  ],
};

describe.each(BACKENDS)('GET /runtimes listing on %s', (backend) => {
  let ds: DataSource;
  let service: RuntimesInfoService;
  let list: ReturnType<typeof lister>;

  beforeAll(async () => {
    ds = await connect(backend);
    service = runtimesService(ds);
    list = lister(service);
  });

  afterAll(async () => {
    await ds.destroy();
  });

  describe('paging', () => {
    it('pages oldest first, count on the page and totalCount over all pages', async () => {
      const account = uniqueAccount();
      const seeded = await insertRuntimes(ds, 5, () => ({ globalAccountId: account }));
      const all = seeded.map((s) => s.instance.instanceId);

      const first = await list(account, { page_size: '2' });
      expect(first).toMatchObject({ count: 2, totalCount: 5 });
      expect(ids(first)).toEqual(all.slice(0, 2));

      const second = await list(account, { page: '2', page_size: '2' });
      expect(second).toMatchObject({ count: 2, totalCount: 5 });
      expect(ids(second)).toEqual(all.slice(2, 4));

      const last = await list(account, { page: '3', page_size: '2' });
      expect(last).toMatchObject({ count: 1, totalCount: 5 });
      expect(ids(last)).toEqual(all.slice(4));

      const beyond = await list(account, { page: '4', page_size: '2' });
      expect(beyond).toEqual({ data: [], count: 0, totalCount: 5 });

      const whole = await list(account);
      expect(ids(whole)).toEqual(all);
      expect(whole).toMatchObject({ count: 5, totalCount: 5 });
    });

    it('breaks created_at ties by instance id, so pages neither overlap nor skip', async () => {
      const account = uniqueAccount();
      const createdAt = new Date('2026-02-02T00:00:00Z');
      const seeded = await insertRuntimes(ds, 4, (n) => ({
        globalAccountId: account,
        instanceId: `tie-${account}-${3 - n}`,
        createdAt,
      }));
      const sorted = seeded.map((s) => s.instance.instanceId).sort();
      const pages = [await list(account, { page_size: '3' }), await list(account, { page: '2', page_size: '3' })];
      expect(pages.flatMap(ids)).toEqual(sorted);
    });

    it('pages by cursor through the same rows as by page number, ties and microseconds included', async () => {
      const account = uniqueAccount();
      const createdAt = new Date('2026-03-03T00:00:00Z');
      const seeded = await insertRuntimes(ds, 7, (n) => ({
        globalAccountId: account,
        instanceId: `cur-${account}-${n}`,
        createdAt,
      }));
      // Microseconds a Date cannot hold: instance 5 before instance 6, both after the five that tie.
      await ds.query(`UPDATE instances SET created_at = created_at + interval '1 microsecond' WHERE instance_id = $1`, [
        seeded[5].instance.instanceId,
      ]);
      await ds.query(
        `UPDATE instances SET created_at = created_at + interval '2 microseconds' WHERE instance_id = $1`,
        [seeded[6].instance.instanceId],
      );
      const byNumber = await Promise.all(
        [1, 2, 3].map((page) => list(account, { page: String(page), page_size: '3' })),
      );
      const byCursor = [await list(account, { page_size: '3' })];
      while (byCursor[byCursor.length - 1].nextCursor) {
        byCursor.push(await list(account, { page_size: '3', cursor: byCursor[byCursor.length - 1].nextCursor }));
      }
      expect(byCursor.map(ids)).toEqual(byNumber.map(ids));
      expect(byCursor.flatMap(ids)).toEqual([
        ...seeded
          .slice(0, 5)
          .map((s) => s.instance.instanceId)
          .sort(),
        seeded[5].instance.instanceId,
        seeded[6].instance.instanceId,
      ]);
      // A full page hands out a cursor, a short one does not; every page knows the total.
      expect(byCursor.map((p) => [p.count, p.totalCount, p.nextCursor !== undefined])).toEqual([
        [3, 7, true],
        [3, 7, true],
        [1, 7, false],
      ]);
    });

    it('continues after the cursor row even when rows before it are added or removed meanwhile', async () => {
      const account = uniqueAccount();
      const seeded = await insertRuntimes(ds, 4, () => ({ globalAccountId: account }));
      const first = await list(account, { page_size: '2' });
      expect(ids(first)).toEqual(seeded.slice(0, 2).map((s) => s.instance.instanceId));
      await ds.query('DELETE FROM operations WHERE instance_id = $1', [seeded[0].instance.instanceId]);
      const next = await list(account, { page_size: '2', cursor: first.nextCursor });
      expect(ids(next)).toEqual(seeded.slice(2, 4).map((s) => s.instance.instanceId));
      expect(next.totalCount).toBe(3);
    });

    it('answers an empty page after the last row, with the total', async () => {
      const account = uniqueAccount();
      await insertRuntimes(ds, 2, () => ({ globalAccountId: account }));
      const full = await list(account, { page_size: '2' });
      await expect(list(account, { page_size: '2', cursor: full.nextCursor })).resolves.toEqual({
        data: [],
        count: 0,
        totalCount: 2,
      });
    });

    it('answers an empty page for a huge page number', async () => {
      const account = uniqueAccount();
      await insertRuntime(ds, { globalAccountId: account });
      await expect(list(account, { page: String(Number.MAX_SAFE_INTEGER) })).resolves.toEqual({
        data: [],
        count: 0,
        totalCount: 1,
      });
    });

    it('refuses bad paging before touching the database', async () => {
      await expect(service.list({ page_size: '101' })).rejects.toThrow(
        'while getting query parameters: page_size is bigger than maxPage(100)',
      );
      await expect(runtimesService(ds, 3).list({ page_size: '4' })).rejects.toThrow(
        'page_size is bigger than maxPage(3)',
      );
    });
  });

  describe('filters', () => {
    it.each([
      ['account', 'globalAccountId'],
      ['subaccount', 'subaccountId'],
      ['instance_id', 'instanceId'],
      ['runtime_id', 'runtimeId'],
      ['region', 'providerRegion'],
      ['shoot', 'shootName'],
      ['plan', 'planName'],
      ['platform_region', 'platformRegion'],
    ] as const)('filters by %s, repeated values as alternatives', async (param, column) => {
      const account = uniqueAccount();
      const value = (n: number) => (param === 'account' ? `${account}-${n}` : `${param}-${account}-${n}`.slice(0, 64));
      const seeded = await insertRuntimes(ds, 3, (n) => ({
        globalAccountId: param === 'account' ? value(n) : account,
        [column]: value(n),
      }));
      const accounts = param === 'account' ? seeded.map((s) => s.instance.globalAccountId) : [account];
      const instanceIds = seeded.map((s) => s.instance.instanceId);

      const one = await list(accounts, { [param]: value(1) });
      expect(ids(one)).toEqual([instanceIds[1]]);
      expect(one.totalCount).toBe(1);

      const two = await list(accounts, { [param]: [value(2), value(0)] });
      expect(ids(two)).toEqual([instanceIds[0], instanceIds[2]]);
      expect(two.totalCount).toBe(2);

      await expect(list(accounts, { [param]: `${value(0)}-nope` })).resolves.toEqual({
        data: [],
        count: 0,
        totalCount: 0,
      });
    });

    it('combines different filters with AND', async () => {
      const account = uniqueAccount();
      const seeded = await insertRuntimes(ds, 4, (n) => ({
        globalAccountId: account,
        planName: n % 2 === 0 ? 'aws' : 'azure',
        platformRegion: n < 2 ? 'cf-eu11' : 'cf-us10',
      }));
      const page = await list(account, { plan: 'azure', platform_region: 'cf-eu11' });
      expect(ids(page)).toEqual([seeded[1].instance.instanceId]);
    });
  });

  describe('state', () => {
    let account: string;
    const byState = new Map<string, string>();

    beforeAll(async () => {
      account = uniqueAccount();
      for (const [state, history] of Object.entries(HISTORY)) {
        const { instance } = await insertRuntime(ds, { globalAccountId: account }, history);
        byState.set(state, instance.instanceId);
      }
    });

    it('derives the state from the last operation', async () => {
      const page = await list(account, { state: 'all' });
      const shown = Object.fromEntries(page.data.map((r) => [r.instanceID, r.status.state]));
      for (const [state, instanceId] of byState) {
        expect({ state, shown: shown[instanceId] }).toEqual({ state, shown: state });
      }
    });

    it('hides deprovisioned runtimes by default', async () => {
      const page = await list(account);
      expect(page.totalCount).toBe(byState.size - 1);
      expect(ids(page)).not.toContain(byState.get('deprovisioned'));
    });

    it('lists everything with state=all', async () => {
      const page = await list(account, { state: 'all' });
      expect(page.totalCount).toBe(byState.size);
      expect(ids(page)).toContain(byState.get('deprovisioned'));
    });

    it.each(Object.keys(HISTORY))('filters state=%s', async (state) => {
      const page = await list(account, { state });
      expect(ids(page)).toEqual([byState.get(state)]);
      expect(page.totalCount).toBe(1);
    });

    it('takes several states as alternatives', async () => {
      const page = await list(account, { state: ['failed', 'error', 'deprovisioned'] });
      expect(new Set(ids(page))).toEqual(
        new Set([byState.get('failed'), byState.get('error'), byState.get('deprovisioned')]),
      );
      expect(page.totalCount).toBe(3);
    });

    it.each(['suspended', 'upgrading', 'deprovisionincomplete'])(
      'accepts state=%s, which no runtime of ours reaches',
      async (state) => {
        await expect(list(account, { state })).resolves.toEqual({ data: [], count: 0, totalCount: 0 });
      },
    );

    it('pages correctly under a state filter (the filter runs in SQL)', async () => {
      const acc = uniqueAccount();
      // Alternating provisioning / succeeded: the provisioning ones are every other instance.
      const seeded = await insertRuntimes(
        ds,
        7,
        () => ({ globalAccountId: acc }),
        (n) => (n % 2 === 0 ? HISTORY.provisioning : HISTORY.succeeded),
      );
      const provisioning = seeded.filter((_, n) => n % 2 === 0).map((s) => s.instance.instanceId);
      const p1 = await list(acc, { state: 'provisioning', page_size: '3' });
      const p2 = await list(acc, { state: 'provisioning', page_size: '3', page: '2' });
      expect([ids(p1), ids(p2)]).toEqual([provisioning.slice(0, 3), provisioning.slice(3)]);
      expect([p1.totalCount, p2.totalCount]).toEqual([4, 4]);
    });

    it('follows the newest operation as operations are added, changed and deleted', async () => {
      const acc = uniqueAccount();
      const { instance } = await insertRuntime(ds, { globalAccountId: acc }, HISTORY.succeeded);
      const stateNow = async () => (await list(acc, { state: 'all' })).data[0].status.state;
      const ops = ds.getRepository(OperationEntity);
      const op = (type: OperationType, state: OperationState, minutes: number) => {
        const at = new Date(instance.createdAt.getTime() + minutes * 60_000);
        return {
          id: `${instance.instanceId}-${minutes}`,
          instanceId: instance.instanceId,
          type,
          state,
          nextAttemptAt: at,
          createdAt: at,
          updatedAt: at,
        };
      };
      expect(await stateNow()).toBe('succeeded');

      await ops.insert(op('deprovision', 'in progress', 60));
      expect(await stateNow()).toBe('deprovisioning');

      // Inserted late but created earlier: not the last operation.
      await ops.insert(op('update', 'failed', 30));
      expect(await stateNow()).toBe('deprovisioning');

      // A state change of the last operation shows at once, in the filter too.
      await ops.update({ id: `${instance.instanceId}-60` }, { state: 'succeeded' });
      expect(await stateNow()).toBe('deprovisioned');
      await expect(list(acc)).resolves.toEqual({ data: [], count: 0, totalCount: 0 });

      // Deleting the last operation falls back to the one before.
      await ops.delete({ id: `${instance.instanceId}-60` });
      expect(await stateNow()).toBe('error');
    });

    it('lists an instance whose operations were written before it', async () => {
      const acc = uniqueAccount();
      const instanceId = `early-${acc}`;
      await ds.getRepository(OperationEntity).insert({
        id: `${instanceId}-op`,
        instanceId,
        type: 'provision',
        state: 'in progress',
        description: '',
        nextAttemptAt: new Date(),
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await insertRuntime(ds, { globalAccountId: acc, instanceId }, []);
      const page = await list(acc, { state: 'provisioning' });
      expect(ids(page)).toEqual([instanceId]);
    });

    it('does not list an instance without operations (as KEB)', async () => {
      const acc = uniqueAccount();
      await insertRuntime(ds, { globalAccountId: acc }, []);
      await expect(list(acc, { state: 'all' })).resolves.toEqual({ data: [], count: 0, totalCount: 0 });
    });

    it('computes in SQL exactly the state runtimeStateOf computes, for every operation type and state', async () => {
      const acc = uniqueAccount();
      const expected = new Map<string, RuntimeState>();
      for (const type of TYPES) {
        for (const state of STATES) {
          const { instance } = await insertRuntime(ds, { globalAccountId: acc }, [{ type, state }]);
          expected.set(instance.instanceId, runtimeStateOf({ type, state }));
        }
      }
      const rows = await ds.query<Array<{ instanceId: string; runtimeState: string }>>(
        `SELECT i.instance_id AS "instanceId", o.runtime_state AS "runtimeState"
           FROM instances i JOIN operations o ON o.id = i.last_operation_id
          WHERE i.global_account_id = $1`,
        [acc],
      );
      expect(new Map(rows.map((r) => [r.instanceId, r.runtimeState]))).toEqual(expected);
      // And the listing agrees with itself: every runtime is found under the state it shows.
      for (const [instanceId, state] of expected) {
        await expect(list(acc, { state, instance_id: instanceId }).then(ids)).resolves.toEqual([instanceId]);
      }
    });
  });

  describe('the runtime DTO', () => {
    it("has KEB's keys and values", async () => {
      const account = uniqueAccount();
      const createdAt = new Date('2026-03-01T10:00:00Z');
      const { instance, operations } = await insertRuntime(
        ds,
        {
          globalAccountId: account,
          subaccountId: `sa-${account}`,
          platformRegion: 'cf-eu11',
          providerRegion: 'eu-central-1',
          provider: 'aws',
          euAccess: true,
          createdBy: 'jane@example.com',
          createdAt,
          updatedAt: createdAt,
        },
        [
          { type: 'provision', state: 'succeeded', description: 'Operation succeeded' },
          { type: 'update', state: 'succeeded' },
          { type: 'update', state: 'failed' },
          { type: 'update', state: 'succeeded', description: 'newest update' },
        ],
      );
      const [dto] = (await list(account)).data;
      const opDto = (op: OperationEntity) => ({
        state: op.state,
        type: op.type,
        description: op.description,
        createdAt: op.createdAt.toISOString(),
        updatedAt: op.updatedAt.toISOString(),
        operationID: op.id,
      });
      expect(dto).toStrictEqual({
        instanceID: instance.instanceId,
        runtimeID: instance.runtimeId,
        globalAccountID: account,
        subAccountID: `sa-${account}`,
        region: 'eu-central-1',
        subAccountRegion: 'cf-eu11',
        shootName: instance.shootName,
        serviceClassID: '47c9dcbf-ff30-448e-ab36-d3bad66ba281',
        serviceClassName: 'kymaruntime',
        servicePlanID: instance.planId,
        servicePlanName: 'aws',
        provider: 'AWS',
        parameters: instance.parameters,
        status: {
          createdAt: createdAt.toISOString(),
          modifiedAt: operations[3].updatedAt.toISOString(),
          state: 'succeeded',
          provisioning: opDto(operations[0]),
          update: { data: [opDto(operations[3]), opDto(operations[2])], count: 2, totalCount: 3 },
        },
        userID: 'jane@example.com',
        euAccess: true,
      });
    });

    it('shows the newest deprovisioning, the deletion time, and the default platform region', async () => {
      const account = uniqueAccount();
      const deletedAt = new Date('2026-03-05T00:00:00Z');
      const { operations } = await insertRuntime(ds, { globalAccountId: account, platformRegion: '', deletedAt }, [
        { type: 'provision', state: 'succeeded' },
        { type: 'deprovision', state: 'failed' },
        { type: 'deprovision', state: 'succeeded' },
      ]);
      const [dto] = (await list(account, { state: 'deprovisioned' })).data;
      expect(dto.subAccountRegion).toBe(DEFAULT_REGION);
      expect(dto.status).toMatchObject({
        deletedAt: deletedAt.toISOString(),
        state: 'deprovisioned',
        deprovisioning: { operationID: operations[2].id, state: 'succeeded' },
        provisioning: { operationID: operations[0].id },
      });
      expect(dto.status.update).toBeUndefined();
    });

    it('leaves out deletedAt, deprovisioning and update when there are none', async () => {
      const account = uniqueAccount();
      await insertRuntime(ds, { globalAccountId: account });
      const [dto] = (await list(account)).data;
      expect(Object.keys(dto.status).sort()).toEqual(['createdAt', 'modifiedAt', 'provisioning', 'state']);
    });

    it('never shows secrets of the provisioning parameters', async () => {
      const account = uniqueAccount();
      await insertRuntime(ds, {
        globalAccountId: account,
        parameters: {
          name: 'rt',
          kubeconfig: 'apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: abc}}]',
          targetSecret: 'sb-aws',
          oidc: { clientID: 'c', issuerURL: 'https://issuer.example.com', clientSecret: 'shh' },
        },
      });
      const [dto] = (await list(account)).data;
      expect(dto.parameters).toEqual({ name: 'rt', oidc: { clientID: 'c', issuerURL: 'https://issuer.example.com' } });
      expect(JSON.stringify(dto)).not.toMatch(/shh|apiVersion|sb-aws/);
    });
  });
});
