import * as yaml from 'js-yaml';
import { RunningBroker } from '../../src/bootstrap';
import type { FaultConfig, Landscape } from '../../src/simulator';

import { BACKENDS } from '../support/databases';
import { kubectl } from '../support/kubectl';
import {
  bindingRows,
  eventually,
  RuntimeInspector,
  shootNameOf,
  startBrokerOn,
  startTestLandscape,
} from '../support/landscape';
import { HttpAnswer, OsbClient, osbClientFor, uniqueId } from '../support/osb-client';

const CREATE_TIMEOUT_MS = 1500;
const SA_PATH = '/api/v1/namespaces/kyma-system/serviceaccounts';

/** A failed bind answers a clean OSB error: JSON {error?, description}, nothing of a credential in it. */
function expectCleanError(res: HttpAnswer, status: number): void {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: expect.any(Object) });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(res.body).every((k) => k === 'error' || k === 'description')).toBe(true);
  expect(res.body.description).toEqual(expect.any(String));
  expect(res.body.description.length).toBeGreaterThan(0);
  if ('error' in res.body) {
    expect(res.body.error).toMatch(/^[A-Z][A-Za-z]+$/);
  }
  expect(JSON.stringify(res.body)).not.toMatch(/kubeconfig|BEGIN CERTIFICATE|eyJ[\w-]{10,}/);
}

function tokenOf(kubeconfig: string): string {
  return (yaml.load(kubeconfig) as { users: Array<{ user: { token: string } }> }).users[0].user.token;
}

/**
 * The runtime's API server fails or stalls while a binding is made (the simulator's fault injection):
 * the broker answers a clean 5xx, keeps no half-made binding (no row, nothing on the runtime), and a
 * retry with the same binding id works once the runtime is healthy again.
 */
describe.each(BACKENDS)('bind under runtime API server faults (%s)', (backend) => {
  let landscape: Landscape;
  let broker: RunningBroker;
  let osb: OsbClient;
  let runtime: RuntimeInspector;
  let instanceId: string;
  let shoot: string;

  beforeAll(async () => {
    landscape = await startTestLandscape();
    broker = await startBrokerOn(landscape, {
      backend,
      env: { BINDING_CREATE_TIMEOUT_MS: String(CREATE_TIMEOUT_MS) },
    });
    osb = await osbClientFor(broker);
    runtime = new RuntimeInspector(landscape);
    instanceId = uniqueId('rel-faults');
    await osb.provisionReady(instanceId);
    shoot = await shootNameOf(backend, instanceId);
    // Warm the broker's runtime connection, so faults hit the bind itself.
    const warm = await osb.bind(instanceId, uniqueId('warm'));
    expect(warm.status).toBe(201);
  });
  afterEach(() => landscape.faults.clear());
  afterAll(async () => {
    await broker?.close();
    await landscape?.stop();
  });

  /** Nothing of the binding is left: no row, and none of its three objects on the runtime. */
  async function expectNothingLeft(bindingId: string): Promise<void> {
    await eventually(
      async () => {
        const rows = (await bindingRows(backend, instanceId)).filter((r) => r.binding_id === bindingId);
        const objects = (await runtime.bindingObjects(shoot)).get(bindingId) ?? [];
        expect({ rows, objects }).toEqual({ rows: [], objects: [] });
        return true;
      },
      `binding ${bindingId} rolled back`,
      8000,
    );
  }

  /** The binding exists completely: a ready row, its three objects, and a token kubectl can use. */
  async function expectWorkingBinding(bindingId: string, kubeconfig: string): Promise<void> {
    const rows = (await bindingRows(backend, instanceId)).filter((r) => r.binding_id === bindingId);
    expect(rows.map((r) => r.state)).toEqual(['ready']);
    expect((await runtime.bindingObjects(shoot)).get(bindingId)?.sort()).toEqual([
      'clusterrole',
      'clusterrolebinding',
      'serviceaccount',
    ]);
    const whoami = await kubectl(kubeconfig, ['auth', 'whoami']);
    expect(whoami.stdout).toContain(`system:serviceaccount:kyma-system:kyma-binding-${bindingId}`);
  }

  const cases: Array<[string, (bid: string) => FaultConfig, number]> = [
    ['500 on every runtime request', () => ({ target: 'runtime', errorRate: 1 }), 502],
    ['503 on every runtime request', () => ({ target: 'runtime', errorRate: 1, errorStatus: 503 }), 502],
    ['connection reset on every runtime request', () => ({ target: 'runtime', resetRate: 1 }), 502],
    [
      '500 on the TokenRequest only (the three objects exist by then)',
      (bid) => ({ target: 'runtime', pathPrefix: `${SA_PATH}/kyma-binding-${bid}/token`, errorRate: 1 }),
      502,
    ],
    [
      'connection reset on ClusterRoleBinding creation only',
      () => ({ target: 'runtime', pathPrefix: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', resetRate: 1 }),
      502,
    ],
    [
      `a runtime slower than the ${CREATE_TIMEOUT_MS} ms bind timeout`,
      () => ({ target: 'runtime', latencyMs: CREATE_TIMEOUT_MS + 1500 }),
      503,
    ],
  ];

  it.each(cases)('%s: clean error, nothing kept, the retry works', async (_label, fault, status) => {
    const bid = uniqueId('flt');
    landscape.faults.setFaults(fault(bid));
    const failed = await osb.bind(instanceId, bid, { expiration_seconds: 900 });
    expectCleanError(failed, status);
    expect((await osb.getBinding(instanceId, bid)).status).toBe(404);

    landscape.faults.clear();
    await expectNothingLeft(bid);
    const retried = await osb.bind(instanceId, bid, { expiration_seconds: 900 });
    expect(retried.status).toBe(201);
    await expectWorkingBinding(bid, retried.body.credentials.kubeconfig);
    expect((await osb.getBinding(instanceId, bid)).body).toEqual(retried.body);

    expect((await osb.unbind(instanceId, bid)).status).toBe(200);
    await expectNothingLeft(bid);
  });

  it('a runtime that also fails the rollback: the orphan-mitigation unbind leaves nothing behind', async () => {
    // The three objects are created, then the TokenRequest and the ServiceAccount's deletion both fail
    // (same path prefix), so the broker's own rollback cannot finish while the fault lasts.
    const bid = uniqueId('orph');
    landscape.faults.setFaults({ target: 'runtime', pathPrefix: `${SA_PATH}/kyma-binding-${bid}`, errorRate: 1 });
    const failed = await osb.bind(instanceId, bid);
    expectCleanError(failed, 502);
    expect((await osb.getBinding(instanceId, bid)).status).toBe(404);
    landscape.faults.clear();

    // OSB orphan mitigation: after a 5xx on bind the platform deletes the binding (and keeps trying until 200/410).
    const mitigation = await osb.unbind(instanceId, bid);
    expect([200, 410]).toContain(mitigation.status);
    expect(mitigation.body).toEqual({});
    await expectNothingLeft(bid);
  });

  it('a flaky runtime (20% errors, 5% resets): every bind is complete or absent, never half-made', async () => {
    landscape.faults.setFaults({ target: 'runtime', errorRate: 0.2, resetRate: 0.05, seed: 1717 });
    const outcomes = new Map<string, HttpAnswer>();
    const count = (created: boolean) => [...outcomes.values()].filter((r) => (r.status === 201) === created).length;
    // At least 8 binds, and on until both outcomes were seen a few times (the instance allows 10 bindings).
    for (let i = 0; i < 20 && (i < 8 || count(true) < 2 || count(false) < 2) && count(true) < 8; i++) {
      const bid = uniqueId(`flaky${i}`);
      outcomes.set(bid, await osb.bind(instanceId, bid));
    }
    landscape.faults.clear();
    const succeeded = [...outcomes].filter(([, r]) => r.status === 201).map(([bid]) => bid);
    const failed = [...outcomes].filter(([, r]) => r.status !== 201).map(([bid]) => bid);
    for (const bid of failed) {
      expectCleanError(outcomes.get(bid)!, outcomes.get(bid)!.status);
      expect([502, 503]).toContain(outcomes.get(bid)!.status);
      // The platform's orphan mitigation for a failed bind.
      expect([200, 410]).toContain((await osb.unbind(instanceId, bid)).status);
    }
    // Both kinds of outcome occurred, so the test checked both paths.
    expect(succeeded.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);

    await eventually(
      async () => {
        const objects = await runtime.bindingObjects(shoot);
        const rows = await bindingRows(backend, instanceId);
        for (const bid of failed) {
          expect({ bid, objects: objects.get(bid) ?? [], rows: rows.filter((r) => r.binding_id === bid) }).toEqual({
            bid,
            objects: [],
            rows: [],
          });
        }
        return true;
      },
      'failed binds rolled back',
      8000,
    );
    for (const bid of succeeded) {
      const kubeconfig = outcomes.get(bid)!.body.credentials.kubeconfig;
      expect((await osb.getBinding(instanceId, bid)).body.credentials.kubeconfig).toBe(kubeconfig);
      await expectWorkingBinding(bid, kubeconfig);
      expect(tokenOf(kubeconfig)).toMatch(/^eyJ/);
      expect((await osb.unbind(instanceId, bid)).status).toBe(200);
    }
  });

  it('provisioning survives a flaky Gardener (seeded 40% errors): step retries, one shoot, then bindable', async () => {
    landscape.faults.setFaults({ target: 'gardener', errorRate: 0.4, seed: 4242 });
    const iid = uniqueId('rel-flaky-gardener');
    let accepted: HttpAnswer | undefined;
    // The PUT itself may meet a Gardener failure only if the broker calls Gardener synchronously; it must
    // then answer 5xx cleanly, and a repeated PUT is the platform's retry.
    for (let i = 0; i < 5 && accepted?.status !== 202; i++) {
      accepted = await osb.provision(iid);
      expect(accepted.status).toBeLessThan(600);
      if (accepted.status !== 202) {
        expectCleanError(accepted, accepted.status);
      }
    }
    expect(accepted?.status).toBe(202);
    const done = await osb.waitForOperation(iid);
    landscape.faults.clear();
    expect(done.body).toMatchObject({ state: 'succeeded' });
    const mine = await shootNameOf(backend, iid);
    expect(landscape.runtimes().filter((r) => r.shootName === mine)).toHaveLength(1);
    expect((await osb.bind(iid, 'after-flaky')).status).toBe(201);
  });
});
