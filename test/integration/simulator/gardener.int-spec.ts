import { statSync, readFileSync, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { Landscape, startLandscape } from '../../../src/simulator';
import { kubectl } from '../../support/kubectl';
import {
  apiError,
  gardenerApi,
  getShoot,
  KubeconfigRequestView,
  ManualClock,
  NAMESPACE,
  parseKubeconfig,
  rawRequest,
  readyRuntime,
  requestKubeconfig,
  SHOOTS,
  shootManifest,
  StatusBody,
  waitFor,
  waitForOperation,
  withToken,
} from './support';

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The Gardener side: shoot lifecycle, adminkubeconfig, authentication and the kubeconfig file. */
describe('Gardener API server', () => {
  const clock = new ManualClock();
  let landscape: Landscape;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kbt-sim-'));
    landscape = await startLandscape({ dataDir, clock, shootCreateDelayMs: 200, shootDeleteDelayMs: 100 });
  });
  afterAll(async () => {
    await landscape.stop();
  });
  afterEach(() => clock.reset());

  it('writes a private kubeconfig with the CA and the broker token to DATA_DIR', () => {
    expect(landscape.gardenerKubeconfigPath).toBe(join(dataDir, 'gardener-kubeconfig.yaml'));
    expect(statSync(landscape.gardenerKubeconfigPath ?? '').mode & 0o777).toBe(0o600);
    const doc = parseKubeconfig(readFileSync(landscape.gardenerKubeconfigPath ?? '', 'utf8'));
    expect(doc.clusters[0].cluster.server).toBe(landscape.gardenerUrl);
    expect(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toContain(
      'BEGIN CERTIFICATE',
    );
    expect(doc.users[0].user.token).toBe(landscape.gardenerToken);
  });

  it('takes a shoot from Create/Processing to Succeeded with its API server address, conditions and runtime', async () => {
    const api = gardenerApi(landscape);
    const created = (await api.createNamespacedCustomObject({
      ...SHOOTS,
      namespace: NAMESPACE,
      body: shootManifest('life'),
    })) as {
      metadata: { uid: string; generation: number };
      status: { lastOperation: { type: string; state: string; progress: number } };
    };
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.status.lastOperation).toMatchObject({ type: 'Create', state: 'Processing', progress: 0 });
    const early = await getShoot(landscape, 'life');
    expect(early.status.advertisedAddresses).toBeUndefined();
    expect((await requestKubeconfig(landscape, 'life')).status).toBe(422);

    const ready = await waitForOperation(landscape, 'life', 'Succeeded');
    expect(ready.status.lastOperation.progress).toBe(100);
    expect(ready.status.technicalID).toBe('shoot--kyma--life');
    expect(ready.status.uid).toBe(created.metadata.uid);
    expect(ready.status.conditions?.map((c) => [c.type, c.status])).toEqual(
      expect.arrayContaining([
        ['APIServerAvailable', 'True'],
        ['ControlPlaneHealthy', 'True'],
        ['EveryNodeReady', 'True'],
        ['SystemComponentsHealthy', 'True'],
      ]),
    );
    const url = ready.status.advertisedAddresses?.find((a) => a.name === 'external')?.url ?? '';
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(landscape.runtimes()).toContainEqual({ namespace: NAMESPACE, shootName: 'life', url });

    const list = (await api.listNamespacedCustomObject({ ...SHOOTS, namespace: NAMESPACE })) as {
      items: Array<{ metadata: { name: string } }>;
    };
    expect(list.items.map((s) => s.metadata.name)).toContain('life');
    const duplicate = await apiError(() =>
      api.createNamespacedCustomObject({ ...SHOOTS, namespace: NAMESPACE, body: shootManifest('life') }),
    );
    expect(duplicate.code).toBe(409);
    expect(duplicate.body?.message).toBe('shoots.core.gardener.cloud "life" already exists');
  });

  it('patches annotations with JSON patch (client-node default) and merge patch; a spec change reconciles', async () => {
    await readyRuntime(landscape, 'patchy');
    const api = gardenerApi(landscape);
    await api.patchNamespacedCustomObject({
      ...SHOOTS,
      namespace: NAMESPACE,
      name: 'patchy',
      body: [{ op: 'add', path: '/metadata/annotations', value: { team: 'a' } }],
    });
    await api.patchNamespacedCustomObject(
      {
        ...SHOOTS,
        namespace: NAMESPACE,
        name: 'patchy',
        body: { metadata: { labels: { tier: 'gold' }, annotations: { team: null, owner: 'b' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    let shoot = await getShoot(landscape, 'patchy');
    expect(shoot.metadata.annotations).toEqual({ owner: 'b' });
    expect(shoot.metadata.labels?.tier).toBe('gold');
    expect(shoot.metadata.generation).toBe(1);
    expect(shoot.status.lastOperation.type).toBe('Create');

    await api.patchNamespacedCustomObject(
      { ...SHOOTS, namespace: NAMESPACE, name: 'patchy', body: { spec: { purpose: 'evaluation' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    shoot = await getShoot(landscape, 'patchy');
    expect(shoot.metadata.generation).toBe(2);
    expect(shoot.status.lastOperation).toMatchObject({ type: 'Reconcile', state: 'Processing' });
    const done = await waitForOperation(landscape, 'patchy', 'Succeeded', 'Reconcile');
    expect(done.status.observedGeneration).toBe(2);
  });

  it("refuses deletion without Gardener's confirmation annotation, then deletes asynchronously and stops the runtime", async () => {
    const { url } = await readyRuntime(landscape, 'doomed');
    const api = gardenerApi(landscape);
    const refused = await apiError(() =>
      api.deleteNamespacedCustomObject({ ...SHOOTS, namespace: NAMESPACE, name: 'doomed' }),
    );
    expect(refused).toEqual({
      code: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'shoots.core.gardener.cloud "doomed" is forbidden: must have a "confirmation.gardener.cloud/deletion" annotation to delete',
        reason: 'Forbidden',
        details: { name: 'doomed', group: 'core.gardener.cloud', kind: 'shoots' },
        code: 403,
      } satisfies StatusBody,
    });
    await api.patchNamespacedCustomObject(
      {
        ...SHOOTS,
        namespace: NAMESPACE,
        name: 'doomed',
        body: { metadata: { annotations: { 'confirmation.gardener.cloud/deletion': 'true' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const deleting = (await api.deleteNamespacedCustomObject({ ...SHOOTS, namespace: NAMESPACE, name: 'doomed' })) as {
      metadata: { deletionTimestamp?: string };
      status: { lastOperation: { type: string; state: string } };
    };
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.status.lastOperation).toMatchObject({ type: 'Delete', state: 'Processing' });
    expect(await portOpen(url)).toBe(true);
    const gone = await waitFor(async () => {
      const res = await apiError(() => getShoot(landscape, 'doomed')).catch(() => undefined);
      return res?.code === 404 ? res : undefined;
    });
    expect(gone.body?.message).toBe('shoots.core.gardener.cloud "doomed" not found');
    expect(await portOpen(url)).toBe(false);
    expect(landscape.runtimes().map((r) => r.shootName)).not.toContain('doomed');
  });

  it('ends creation in Failed when the test annotation asks for it', async () => {
    await gardenerApi(landscape).createNamespacedCustomObject({
      ...SHOOTS,
      namespace: NAMESPACE,
      body: shootManifest('broken', { annotations: { 'simulator.kyma-broker.io/fail-create': 'true' } }),
    });
    const failed = await waitForOperation(landscape, 'broken', 'Failed');
    expect(failed.status.lastOperation.description).toMatch(/Simulated failure/);
    expect(failed.status.advertisedAddresses).toBeUndefined();
    expect(failed.status.lastErrors?.length).toBe(1);
    expect(landscape.runtimes().map((r) => r.shootName)).not.toContain('broken');
  });

  it('refuses shoots outside project namespaces and shoots without provider or region', async () => {
    const api = gardenerApi(landscape);
    const outside = await apiError(() =>
      api.createNamespacedCustomObject({ ...SHOOTS, namespace: 'default', body: shootManifest('x') }),
    );
    expect(outside.code).toBe(403);
    const invalid = await apiError(() =>
      api.createNamespacedCustomObject({
        ...SHOOTS,
        namespace: NAMESPACE,
        body: { metadata: { name: 'bad' }, spec: {} },
      }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.body?.reason).toBe('Invalid');
  });

  describe('adminkubeconfig', () => {
    let runtimeUrl: string;
    beforeAll(async () => {
      ({ url: runtimeUrl } = await readyRuntime(landscape, 'access'));
    });

    it('returns a base64 kubeconfig whose certificate is cluster-admin for the caller until expirationTimestamp', async () => {
      const before = Date.now();
      const res = await requestKubeconfig(landscape, 'access');
      expect(res.status).toBe(201);
      const body = res.json<KubeconfigRequestView>();
      expect(body.kind).toBe('AdminKubeconfigRequest');
      expect(body.apiVersion).toBe('authentication.gardener.cloud/v1alpha1');
      expect(body.spec.expirationSeconds).toBe(3600);
      const kubeconfig = Buffer.from(body.status.kubeconfig, 'base64').toString('utf8');
      const doc = parseKubeconfig(kubeconfig);
      expect(doc['current-context']).toBe('garden-kyma--access-external');
      expect(doc.clusters[0].cluster.server).toBe(runtimeUrl);
      const cert = new NodeX509(Buffer.from(doc.users[0].user['client-certificate-data'], 'base64'));
      expect(cert.subject).toContain('CN=gardener.cloud:admin:kyma-broker');
      expect(cert.subject).toContain('O=gardener.cloud:system:admins');
      expect(new Date(cert.validTo).toISOString().replace('.000', '')).toBe(body.status.expirationTimestamp);
      const lifetime = Date.parse(body.status.expirationTimestamp) - before;
      expect(lifetime).toBeGreaterThan(3598_000);
      expect(lifetime).toBeLessThanOrEqual(3601_000);

      const kc = new KubeConfig();
      kc.loadFromString(kubeconfig);
      const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace({});
      expect(namespaces.items.map((n) => n.metadata?.name)).toContain('kyma-system');
    });

    it("enforces Gardener's bounds: 599 → 422, above 24 h capped silently, unknown shoot → 404", async () => {
      const short = await requestKubeconfig(landscape, 'access', 599);
      expect(short.status).toBe(422);
      expect(short.headers['content-type']).toBe('application/json');
      expect(short.json<StatusBody>().message).toBe(
        'AdminKubeconfigRequest.authentication.gardener.cloud "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
      );
      const min = await requestKubeconfig(landscape, 'access', 600);
      expect(min.json<KubeconfigRequestView>().spec.expirationSeconds).toBe(600);
      const long = await requestKubeconfig(landscape, 'access', 3 * 86400);
      expect(long.status).toBe(201);
      const granted = long.json<KubeconfigRequestView>();
      expect(granted.spec.expirationSeconds).toBe(86400);
      expect(Math.abs(Date.parse(granted.status.expirationTimestamp) - (Date.now() + 86400_000))).toBeLessThan(3000);
      const unknown = await requestKubeconfig(landscape, 'nope');
      expect(unknown.status).toBe(404);
      expect(unknown.json<StatusBody>().message).toBe('shoots.core.gardener.cloud "nope" not found');
    });

    it('is refused once the certificate has expired on the injected clock', async () => {
      const res = await requestKubeconfig(landscape, 'access', 600);
      const kubeconfig = Buffer.from(res.json<KubeconfigRequestView>().status.kubeconfig, 'base64').toString('utf8');
      expect((await rawRequest(kubeconfig, 'GET', '/api/v1/namespaces')).status).toBe(200);
      clock.advance(601_000);
      const expired = await rawRequest(kubeconfig, 'GET', '/api/v1/namespaces');
      expect(expired.status).toBe(401);
      expect(expired.json<StatusBody>().reason).toBe('Unauthorized');
      const viaKubectl = await kubectl(kubeconfig, ['get', 'pods']);
      expect(viaKubectl.code).toBe(1);
      expect(viaKubectl.stderr).toContain('You must be logged in to the server');
    });

    it('issues read-only viewer kubeconfigs too', async () => {
      const res = await requestKubeconfig(landscape, 'access', 600, 'viewerkubeconfig');
      expect(res.status).toBe(201);
      const kubeconfig = Buffer.from(res.json<KubeconfigRequestView>().status.kubeconfig, 'base64').toString('utf8');
      expect((await rawRequest(kubeconfig, 'GET', '/api/v1/pods')).status).toBe(200);
      expect((await rawRequest(kubeconfig, 'DELETE', '/api/v1/namespaces/kyma-system')).status).toBe(403);
    });
  });

  it('authenticates by token or client certificate, and answers anything else with a 401 Status', async () => {
    const certLandscape = await startLandscape({ gardenerCredentials: 'client-certificate', shootCreateDelayMs: 0 });
    try {
      const doc = parseKubeconfig(certLandscape.gardenerKubeconfig);
      expect(doc.users[0].user['client-certificate-data']).toBeDefined();
      expect(doc.users[0].user.token).toBeUndefined();
      expect(
        (await rawRequest(certLandscape.gardenerKubeconfig, 'GET', '/apis/core.gardener.cloud/v1beta1/shoots')).status,
      ).toBe(200);
      const byToken = withToken(certLandscape.gardenerKubeconfig, certLandscape.gardenerToken);
      expect((await rawRequest(byToken, 'GET', '/apis/core.gardener.cloud/v1beta1/shoots')).status).toBe(200);
      // Another landscape's credentials mean nothing here.
      const foreign = withToken(certLandscape.gardenerKubeconfig, landscape.gardenerToken);
      const refused = await rawRequest(foreign, 'GET', '/apis/core.gardener.cloud/v1beta1/shoots');
      expect(refused.status).toBe(401);
      expect(refused.headers['content-type']).toBe('application/json');
      expect(refused.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
      expect((await rawRequest(withToken(certLandscape.gardenerKubeconfig, ''), 'GET', '/api')).status).toBe(401);
    } finally {
      await certLandscape.stop();
    }
  });

  it('serves discovery for core.gardener.cloud/v1beta1 including the kubeconfig subresources', async () => {
    const res = await rawRequest(landscape.gardenerKubeconfig, 'GET', '/apis/core.gardener.cloud/v1beta1');
    const resources = res.json<{
      groupVersion: string;
      resources: Array<{ name: string; kind: string; namespaced: boolean }>;
    }>();
    expect(resources.groupVersion).toBe('core.gardener.cloud/v1beta1');
    expect(resources.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'shoots', kind: 'Shoot', namespaced: true }),
        expect.objectContaining({ name: 'shoots/adminkubeconfig', kind: 'AdminKubeconfigRequest' }),
      ]),
    );
    const groups = await rawRequest(landscape.gardenerKubeconfig, 'GET', '/apis');
    expect(groups.json<{ groups: Array<{ name: string }> }>().groups.map((g) => g.name)).toEqual([
      'core.gardener.cloud',
    ]);
  });
});
