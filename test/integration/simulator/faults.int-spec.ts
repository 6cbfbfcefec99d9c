import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Landscape, startLandscape } from '../../../src/simulator';
import {
  apiError,
  gardenerApi,
  getShoot,
  NAMESPACE,
  rawRequest,
  readyRuntime,
  SHOOTS,
  shootManifest,
  StatusBody,
  waitForOperation,
  withToken,
} from './support';

/** Fault injection on both sides, switched through the API and through the admin endpoint. */
describe('fault injection', () => {
  let landscape: Landscape;
  let admin: string;
  let core: CoreV1Api;

  beforeAll(async () => {
    landscape = await startLandscape({ shootCreateDelayMs: 0, shootDeleteDelayMs: 0 });
    ({ kubeconfig: admin } = await readyRuntime(landscape, 'flaky'));
    const kc = new KubeConfig();
    kc.loadFromString(admin);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await landscape.stop();
  });
  afterEach(() => landscape.faults.clear());

  it('answers 5xx Status bodies on the runtimes only when targeted there', async () => {
    landscape.faults.setFaults({ target: 'runtime', errorRate: 1 });
    const failure = await apiError(() => core.listNamespacedPod({ namespace: 'default' }));
    expect(failure.code).toBe(500);
    expect(failure.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    expect(
      (await gardenerApi(landscape).listNamespacedCustomObject({ ...SHOOTS, namespace: NAMESPACE })) as object,
    ).toHaveProperty('items');

    landscape.faults.setFaults({
      target: 'all',
      errorRate: 1,
      errorStatus: 503,
      pathPrefix: '/apis/core.gardener.cloud',
    });
    const unavailable = await rawRequest(
      landscape.gardenerKubeconfig,
      'GET',
      `/apis/core.gardener.cloud/v1beta1/namespaces/${NAMESPACE}/shoots`,
    );
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('1');
    expect(unavailable.json<StatusBody>().reason).toBe('ServiceUnavailable');
    expect((await rawRequest(landscape.gardenerKubeconfig, 'GET', '/api/v1/namespaces')).status).toBe(200);
    expect((await core.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThan(0);
  });

  it('resets connections without an answer', async () => {
    landscape.faults.setFaults({ target: 'runtime', resetRate: 1 });
    const error = await core.listNamespacedPod({ namespace: 'default' }).then(
      () => undefined,
      (err: Error & { code?: string }) => err,
    );
    expect(error).toBeDefined();
    expect(`${error?.message ?? ''} ${error?.code ?? ''}`).toMatch(/ECONNRESET|socket hang up/);
    landscape.faults.clear();
    expect((await core.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThan(0);
  });

  it('delays requests by a fixed latency plus jitter', async () => {
    landscape.faults.setFaults({ target: 'runtime', latencyMs: 150, latencyJitterMs: 50 });
    const started = Date.now();
    await core.listNamespacedPod({ namespace: 'default' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(1000);
    const gardenerStarted = Date.now();
    await getShoot(landscape, 'flaky');
    expect(Date.now() - gardenerStarted).toBeLessThan(145);
  });

  it('holds shoot operations in Processing while stuckShoots is set and finishes them once lifted', async () => {
    landscape.faults.setFaults({ target: 'gardener', stuckShoots: true });
    await gardenerApi(landscape).createNamespacedCustomObject({
      ...SHOOTS,
      namespace: NAMESPACE,
      body: shootManifest('stuck'),
    });
    await new Promise((r) => setTimeout(r, 200));
    const held = await getShoot(landscape, 'stuck');
    expect(held.status.lastOperation).toMatchObject({ type: 'Create', state: 'Processing' });
    expect(held.status.advertisedAddresses).toBeUndefined();
    landscape.faults.clear();
    const done = await waitForOperation(landscape, 'stuck', 'Succeeded');
    expect(done.status.advertisedAddresses?.[0].url).toMatch(/^https:/);
  });

  it('is switched through the authenticated admin endpoint on the Gardener server', async () => {
    const put = await rawRequest(landscape.gardenerKubeconfig, 'PUT', '/__simulator/faults', [
      { target: 'runtime', errorRate: 1, errorStatus: 503 },
    ]);
    expect(put.status).toBe(200);
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.json()).toEqual({ faults: [{ target: 'runtime', errorRate: 1, errorStatus: 503 }] });
    expect(landscape.faults.current()).toEqual([{ target: 'runtime', errorRate: 1, errorStatus: 503 }]);
    expect((await apiError(() => core.listNamespacedPod({ namespace: 'default' }))).code).toBe(503);

    const invalid = await rawRequest(landscape.gardenerKubeconfig, 'PUT', '/__simulator/faults', { errorRate: 7 });
    expect(invalid.status).toBe(400);
    expect(invalid.json<StatusBody>().message).toBe('errorRate must be a number between 0 and 1');
    const anonymous = await rawRequest(
      withToken(landscape.gardenerKubeconfig, 'nope'),
      'DELETE',
      '/__simulator/faults',
    );
    expect(anonymous.status).toBe(401);
    expect(landscape.faults.current()).toHaveLength(1);

    // The admin endpoint itself is never subject to faults, so it can always switch them off.
    landscape.faults.setFaults({ target: 'all', errorRate: 1 });
    const cleared = await rawRequest(landscape.gardenerKubeconfig, 'DELETE', '/__simulator/faults');
    expect(cleared.json()).toEqual({ faults: [] });
    expect((await core.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThan(0);
    const runtimes = await rawRequest(landscape.gardenerKubeconfig, 'GET', '/__simulator/runtimes');
    expect(runtimes.json<{ runtimes: Array<{ shootName: string }> }>().runtimes.map((r) => r.shootName)).toContain(
      'flaky',
    );
  });

  it('applies faults given at start', async () => {
    const slow = await startLandscape({ faults: { target: 'gardener', errorRate: 1 }, shootCreateDelayMs: 0 });
    try {
      expect((await rawRequest(slow.gardenerKubeconfig, 'GET', '/api')).status).toBe(500);
    } finally {
      await slow.stop();
    }
  });
});
