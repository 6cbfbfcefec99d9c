import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Landscape } from '../../src/simulator';
import { BrokerProcess } from '../support/broker-process';
import { freePort } from '../support/broker';
import { BACKENDS, databaseUrl } from '../support/databases';
import { kubectl } from '../support/kubectl';
import { bindingRows, eventually, RuntimeInspector, shootNameOf, sql, startTestLandscape } from '../support/landscape';
import { osbClientFor, uniqueId } from '../support/osb-client';

const SA_PATH = '/api/v1/namespaces/kyma-system/serviceaccounts';
const OBJECTS = ['clusterrole', 'clusterrolebinding', 'serviceaccount'];

/**
 * `kill -9` of the broker process while it is in the middle of everything at once: a provisioning
 * waiting for its shoot, a deprovisioning waiting for the shoot to go, the expired-bindings cleanup
 * revoking on a slow runtime, and a bind waiting for its TokenRequest. A new process on the same
 * database, landscape and DATA_DIR finishes all of it: nothing lost, nothing doubled, nothing left.
 */
describe.each(BACKENDS)('kill -9 mid-work and restart (%s)', (backend) => {
  let landscape: Landscape;
  const processes: BrokerProcess[] = [];

  beforeAll(async () => {
    landscape = await startTestLandscape({ shootCreateDelayMs: 2500, shootDeleteDelayMs: 2500 });
  });
  afterAll(async () => {
    for (const p of processes) {
      await p.kill9().catch(() => undefined);
    }
    await landscape?.stop();
  });

  it('resumes provisioning, deprovisioning and cleanup; no binding lost or doubled', async () => {
    const env = {
      BROKER_PROFILE: 'local',
      PORT: String(await freePort()),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'kbt-crash-')),
      DATABASE_URL: databaseUrl(backend),
      GARDENER_KUBECONFIG: landscape.gardenerKubeconfigPath!,
      LOG_LEVEL: 'warn',
      PROVISIONING_WORKER_INTERVAL_MS: '50',
      PROVISIONING_SHOOT_POLL_INTERVAL_MS: '100',
      PROVISIONING_RETRY_BASE_MS: '100',
      // Short leases, so the restarted process takes over the dead one's claims quickly.
      PROVISIONING_LEASE_MS: '2000',
      CLEANUP_LEASE_MS: '2000',
      CLEANUP_INTERVAL_MS: '1000',
      BINDING_CREATE_TIMEOUT_MS: '1500',
    };
    const runtime = new RuntimeInspector(landscape);
    const first = await BrokerProcess.start(env);
    processes.push(first);
    const osb1 = await osbClientFor(first);

    const live = uniqueId('crash-live');
    const doomed = uniqueId('crash-doomed');
    await Promise.all([osb1.provisionReady(live), osb1.provisionReady(doomed)]);
    const kept = new Map<string, string>();
    for (const bid of ['keep-1', 'keep-2', 'exp-1', 'exp-2', 'exp-3', 'exp-4']) {
      const res = await osb1.bind(live, bid);
      expect(res.status).toBe(201);
      kept.set(bid, res.body.credentials.kubeconfig);
    }
    expect((await osb1.bind(doomed, 'on-doomed')).status).toBe(201);
    const liveShoot = await shootNameOf(backend, live);

    // A slow runtime keeps the cleanup's revocations and the new bind in flight when the process dies.
    landscape.faults.setFaults([
      { target: 'runtime', pathPrefix: `${SA_PATH}/kyma-binding-exp-`, latencyMs: 5000 },
      { target: 'runtime', pathPrefix: `${SA_PATH}/kyma-binding-inflight`, latencyMs: 5000 },
    ]);
    await sql(
      backend,
      `UPDATE bindings SET expires_at = now() - interval '1 minute' WHERE instance_id = $1 AND binding_id LIKE 'exp-%'`,
      [live],
    );
    const pending = uniqueId('crash-pending');
    expect((await osb1.provision(pending)).status).toBe(202);
    expect((await osb1.deprovision(doomed)).status).toBe(202);
    const inflight = osb1.bind(live, 'inflight').then(
      (res) => `answered ${res.status}`,
      (err: Error) => err.message,
    );

    // Everything is mid-way: each operation waits on its shoot, the cleanup holds its lease, the bind its row.
    await eventually(async () => {
      const ops = await sql<{ instance_id: string; step: string }>(
        backend,
        `SELECT instance_id, step FROM operations WHERE instance_id = ANY($1) AND state = 'in progress'`,
        [[pending, doomed]],
      );
      const steps = Object.fromEntries(ops.map((o) => [o.instance_id, o.step]));
      const lease = await sql(backend, `SELECT owner FROM job_leases WHERE name = 'expired-bindings-cleanup'`);
      const rows = await bindingRows(backend, live);
      expect({
        pending: steps[pending],
        doomed: steps[doomed],
        cleanupLeaseHeld: lease.length === 1,
        inflight: rows.find((r) => r.binding_id === 'inflight')?.state,
      }).toEqual({
        pending: 'wait_runtime_ready',
        doomed: 'wait_runtime_gone',
        cleanupLeaseHeld: true,
        inflight: 'creating',
      });
      return true;
    }, 'all work in flight');
    await first.kill9();
    // The process died before answering: the platform sees the connection fail.
    expect(await inflight).toMatch(/fetch failed/);
    landscape.faults.clear();

    const second = await BrokerProcess.start(env);
    processes.push(second);
    const osb2 = await osbClientFor(second);

    // Provisioning resumed and finished, with one shoot and one operation.
    expect((await osb2.waitForOperation(pending)).body).toMatchObject({ state: 'succeeded' });
    const pendingShoot = await shootNameOf(backend, pending);
    expect(landscape.runtimes().filter((r) => r.shootName === pendingShoot)).toHaveLength(1);
    const provisionOps = await sql(backend, `SELECT id FROM operations WHERE instance_id = $1 AND type = 'provision'`, [
      pending,
    ]);
    expect(provisionOps).toHaveLength(1);

    // Deprovisioning resumed: the instance is gone, and its binding with it.
    expect((await osb2.waitForOperation(doomed)).status).toBe(410);
    await eventually(async () => (await bindingRows(backend, doomed)).length === 0, 'bindings of the gone instance');

    // The platform retries the bind the dead process never answered: it ends complete, exactly once.
    const retried = await eventually(async () => {
      const res = await osb2.bind(live, 'inflight');
      expect([200, 201]).toContain(res.status);
      return res;
    }, 'the retried bind');
    expect((await kubectl(retried.body.credentials.kubeconfig, ['auth', 'whoami'])).stdout).toContain(
      'kyma-binding-inflight',
    );

    // The cleanup resumed: expired bindings revoked and removed, live ones untouched.
    await eventually(
      async () => {
        const rows = (await bindingRows(backend, live)).map((r) => `${r.binding_id}:${r.state}`);
        expect(rows).toEqual(['inflight:ready', 'keep-1:ready', 'keep-2:ready']);
        const objects = await runtime.bindingObjects(liveShoot);
        expect(Object.fromEntries([...objects].map(([id, kinds]) => [id, kinds.sort()]))).toEqual({
          inflight: OBJECTS,
          'keep-1': OBJECTS,
          'keep-2': OBJECTS,
        });
        return true;
      },
      'the cleanup to finish',
      20000,
    );
    for (const bid of ['keep-1', 'keep-2']) {
      const fetched = await osb2.getBinding(live, bid);
      expect(fetched.body.credentials.kubeconfig).toBe(kept.get(bid));
      expect((await kubectl(kept.get(bid)!, ['get', 'pods'])).code).toBe(0);
    }
    for (const bid of ['exp-1', 'exp-2', 'exp-3', 'exp-4']) {
      expect((await osb2.getBinding(live, bid)).status).toBe(404);
      expect((await kubectl(kept.get(bid)!, ['get', 'pods'])).code).not.toBe(0);
    }

    expect(await second.terminate()).toBe(0);
    expect(second.output()).not.toMatch(/"level":(50|60)/);
  });
});
