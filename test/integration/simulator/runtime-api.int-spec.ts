import { Agent, request, RequestOptions } from 'node:https';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { decodeJwt } from 'jose';
import { Landscape, startLandscape } from '../../../src/simulator';
import { apiError, ManualClock, rawRequest, readyRuntime, StatusBody, withToken } from './support';

/**
 * A runtime's kube-apiserver through @kubernetes/client-node 1.4, as the broker uses it: KEB's binding
 * objects, TokenRequest, the token's life (expiry, revocation, audience) and RBAC decisions.
 */
describe('runtime kube-apiserver with client-node', () => {
  const clock = new ManualClock();
  let landscape: Landscape;
  let admin: string;
  let core: CoreV1Api;
  let rbac: RbacAuthorizationV1Api;

  const clients = (kubeconfig: string) => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    return { core: kc.makeApiClient(CoreV1Api), rbac: kc.makeApiClient(RbacAuthorizationV1Api) };
  };

  beforeAll(async () => {
    landscape = await startLandscape({ clock, shootCreateDelayMs: 0, shootDeleteDelayMs: 0 });
    ({ kubeconfig: admin } = await readyRuntime(landscape, 'rt-api', {
      spec: { kubernetes: { version: '1.32', kubeAPIServer: { serviceAccountConfig: { maxTokenExpiration: '2h' } } } },
    }));
    ({ core, rbac } = clients(admin));
  });
  afterAll(async () => {
    await landscape.stop();
  });
  afterEach(() => clock.reset());

  /** KEB's binding: ServiceAccount, ClusterRole {*,*,*} and ClusterRoleBinding named kyma-binding-<id>. */
  async function kebBinding(id: string): Promise<string> {
    const name = `kyma-binding-${id}`;
    await core.createNamespacedServiceAccount({ namespace: 'kyma-system', body: { metadata: { name } } });
    await rbac.createClusterRole({
      body: { metadata: { name }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: 'kyma-system' }],
      },
    });
    return name;
  }

  async function token(name: string, expirationSeconds = 600, audiences: string[] = []): Promise<string> {
    const tr = await core.createNamespacedServiceAccountToken({
      name,
      namespace: 'kyma-system',
      body: { spec: { audiences, expirationSeconds } },
    });
    return tr.status?.token ?? '';
  }

  it('creates, reads, lists and deletes ServiceAccounts, ClusterRoles and bindings with server-filled metadata', async () => {
    const sa = await core.createNamespacedServiceAccount({
      namespace: 'kyma-system',
      body: { metadata: { name: 'crud-sa' } },
    });
    expect(sa.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(sa.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(sa.metadata?.namespace).toBe('kyma-system');
    expect(sa.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(sa.kind).toBe('ServiceAccount');
    expect((await core.readNamespacedServiceAccount({ name: 'crud-sa', namespace: 'kyma-system' })).metadata?.uid).toBe(
      sa.metadata?.uid,
    );
    const list = await core.listNamespacedServiceAccount({ namespace: 'kyma-system' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['crud-sa', 'default']);

    const role = await rbac.createClusterRole({
      body: { metadata: { name: 'crud-role' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
    });
    expect(Number(role.metadata?.resourceVersion)).toBeGreaterThan(Number(sa.metadata?.resourceVersion));
    const deletedRole = await rbac.deleteClusterRole({ name: 'crud-role' });
    expect(deletedRole).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'crud-role', kind: 'clusterroles' },
    });
    const deletedSa = await core.deleteNamespacedServiceAccount({
      name: 'crud-sa',
      namespace: 'kyma-system',
      propagationPolicy: 'Background',
    });
    expect(deletedSa.metadata?.uid).toBe(sa.metadata?.uid);

    const ns = await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    expect(ns.status?.phase).toBe('Active');
    const role2 = await rbac.createNamespacedRole({
      namespace: 'team-a',
      body: { metadata: { name: 'reader' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }] },
    });
    expect(role2.metadata?.namespace).toBe('team-a');
    expect((await rbac.listNamespacedRoleBinding({ namespace: 'team-a' })).items).toEqual([]);
    await core.deleteNamespace({ name: 'team-a' });
    expect((await apiError(() => rbac.readNamespacedRole({ name: 'reader', namespace: 'team-a' }))).code).toBe(404);
  });

  it('answers duplicates with 409 AlreadyExists and missing objects with 404 NotFound Status bodies', async () => {
    await core.createNamespacedServiceAccount({ namespace: 'kyma-system', body: { metadata: { name: 'dup' } } });
    expect(
      await apiError(() =>
        core.createNamespacedServiceAccount({ namespace: 'kyma-system', body: { metadata: { name: 'dup' } } }),
      ),
    ).toEqual({
      code: 409,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'serviceaccounts "dup" already exists',
        reason: 'AlreadyExists',
        details: { name: 'dup', kind: 'serviceaccounts' },
        code: 409,
      },
    });
    const missing = await apiError(() => rbac.deleteClusterRoleBinding({ name: 'nope' }));
    expect(missing).toEqual({
      code: 404,
      body: expect.objectContaining({
        message: 'clusterrolebindings.rbac.authorization.k8s.io "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: 'rbac.authorization.k8s.io', kind: 'clusterrolebindings' },
      }) as StatusBody,
    });
    const noNamespace = await apiError(() =>
      core.createNamespacedServiceAccount({ namespace: 'ghost', body: { metadata: { name: 'x' } } }),
    );
    expect(noNamespace.code).toBe(404);
    expect(noNamespace.body?.message).toBe('namespaces "ghost" not found');

    const raw = await rawRequest(admin, 'GET', '/api/v1/namespaces/kyma-system/serviceaccounts/nope');
    expect(raw.status).toBe(404);
    expect(raw.headers['content-type']).toBe('application/json');
  });

  it('serves seeded pods read-only, across namespaces and per namespace', async () => {
    const all = await core.listPodForAllNamespaces({});
    expect(new Set(all.items.map((p) => p.metadata?.namespace))).toEqual(
      new Set(['default', 'kube-system', 'kyma-system']),
    );
    const kyma = await core.listNamespacedPod({ namespace: 'kyma-system' });
    expect(kyma.items.length).toBeGreaterThanOrEqual(2);
    expect(kyma.items.every((p) => p.status?.phase === 'Running')).toBe(true);
    const refused = await apiError(() =>
      core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'p' }, spec: { containers: [] } } }),
    );
    expect(refused.code).toBe(405);
    expect(refused.body?.reason).toBe('MethodNotAllowed');
  });

  it('issues TokenRequests with the real claims and honours expirationSeconds', async () => {
    const name = await kebBinding('tr');
    const before = Math.floor(clock.now().getTime() / 1000);
    const tr = await core.createNamespacedServiceAccountToken({
      name,
      namespace: 'kyma-system',
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const claims = decodeJwt(tr.status?.token ?? '');
    const sa = await core.readNamespacedServiceAccount({ name, namespace: 'kyma-system' });
    expect(claims).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: `system:serviceaccount:kyma-system:${name}`,
      aud: ['https://kubernetes.default.svc.cluster.local'],
      'kubernetes.io': { namespace: 'kyma-system', serviceaccount: { name, uid: sa.metadata?.uid } },
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(tr.status?.expirationTimestamp.getTime()).toBe((claims.exp ?? 0) * 1000);
    expect(tr.spec.audiences).toEqual(['https://kubernetes.default.svc.cluster.local']);

    const byDefault = await core.createNamespacedServiceAccountToken({
      name,
      namespace: 'kyma-system',
      body: { spec: { audiences: [] } },
    });
    const d = decodeJwt(byDefault.status?.token ?? '');
    expect((d.exp ?? 0) - (d.iat ?? 0)).toBe(3600);

    const tooShort = await apiError(() =>
      core.createNamespacedServiceAccountToken({
        name,
        namespace: 'kyma-system',
        body: { spec: { audiences: [], expirationSeconds: 599 } },
      }),
    );
    expect(tooShort.code).toBe(422);
    expect(tooShort.body?.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
    expect(tooShort.body?.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: 599: may not specify a duration less than 10 minutes',
        field: 'spec.expirationSeconds',
      },
    ]);
    const noAccount = await apiError(() =>
      core.createNamespacedServiceAccountToken({
        name: 'ghost',
        namespace: 'kyma-system',
        body: { spec: { audiences: [] } },
      }),
    );
    expect(noAccount.code).toBe(404);
    expect(noAccount.body?.message).toBe('serviceaccounts "ghost" not found');
  });

  it('binds tokens to a pod when asked, and refuses unknown objects and kinds', async () => {
    const name = await kebBinding('bound');
    const pod = await core.readNamespacedPod({ name: 'kyma-operator-7b9c8d6f5-hjk4l', namespace: 'kyma-system' });
    const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '' };
    const tr = await core.createNamespacedServiceAccountToken({
      name,
      namespace: 'kyma-system',
      body: { spec: { audiences: [], boundObjectRef: ref } },
    });
    expect(decodeJwt(tr.status?.token ?? '')['kubernetes.io']).toMatchObject({
      pod: { name: pod.metadata?.name, uid: pod.metadata?.uid },
    });
    const whoami = await rawRequest(
      withToken(admin, tr.status?.token ?? ''),
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    );
    expect(
      whoami.json<{ status: { userInfo: { extra: Record<string, string[]> } } }>().status.userInfo.extra,
    ).toMatchObject({
      'authentication.kubernetes.io/pod-name': [pod.metadata?.name],
      'authentication.kubernetes.io/pod-uid': [pod.metadata?.uid],
    });
    const missing = await apiError(() =>
      core.createNamespacedServiceAccountToken({
        name,
        namespace: 'kyma-system',
        body: { spec: { audiences: [], boundObjectRef: { ...ref, name: 'gone' } } },
      }),
    );
    expect(missing.body?.message).toBe('pods "gone" not found');
    const wrongKind = await apiError(() =>
      core.createNamespacedServiceAccountToken({
        name,
        namespace: 'kyma-system',
        body: { spec: { audiences: [], boundObjectRef: { ...ref, kind: 'Deployment' } } },
      }),
    );
    expect(wrongKind).toMatchObject({ code: 400, body: { message: 'cannot bind token to object of type Deployment' } });
  });

  it("shortens lifetimes above the shoot's maxTokenExpiration and says so in a Warning header", async () => {
    const name = await kebBinding('cap');
    const res = await rawRequest(admin, 'POST', `/api/v1/namespaces/kyma-system/serviceaccounts/${name}/token`, {
      spec: { expirationSeconds: 3 * 3600 },
    });
    expect(res.status).toBe(201);
    expect(res.headers.warning).toBe('299 - "requested expiration of 10800 seconds shortened to 7200 seconds"');
    const body = res.json<{
      spec: { expirationSeconds: number };
      status: { token: string; expirationTimestamp: string };
    }>();
    const claims = decodeJwt(body.status.token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(7200);
    expect(body.spec.expirationSeconds).toBe(7200);
    expect(Date.parse(body.status.expirationTimestamp)).toBe((claims.exp ?? 0) * 1000);
  });

  it('authenticates the token with client-node until it expires (injected clock), then answers 401', async () => {
    const name = await kebBinding('exp');
    const user = clients(withToken(admin, await token(name, 600))).core;
    expect((await user.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThan(0);
    // The clock also runs in real time: leave slack so a slow machine does not cross the expiry early.
    clock.advance(570_000);
    expect((await user.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThan(0);
    clock.advance(31_000);
    expect(await apiError(() => user.listNamespacedPod({ namespace: 'default' }))).toEqual({
      code: 401,
      body: undefined,
    });
    const raw = await rawRequest(withToken(admin, await token(name, 600)), 'GET', '/api/v1/namespaces/default/pods');
    expect(raw.status).toBe(200);
  });

  it('revokes a token the moment its ServiceAccount is deleted, even if it is recreated', async () => {
    const name = await kebBinding('rev');
    const kubeconfig = withToken(admin, await token(name));
    expect((await rawRequest(kubeconfig, 'GET', '/api/v1/pods')).status).toBe(200);
    await core.deleteNamespacedServiceAccount({ name, namespace: 'kyma-system' });
    const refused = await rawRequest(kubeconfig, 'GET', '/api/v1/pods');
    expect(refused.status).toBe(401);
    expect(refused.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    await core.createNamespacedServiceAccount({ namespace: 'kyma-system', body: { metadata: { name } } });
    expect((await rawRequest(kubeconfig, 'GET', '/api/v1/pods')).status).toBe(401);
  });

  it('refuses a token issued for a foreign audience and unauthenticated requests', async () => {
    const name = await kebBinding('aud');
    expect(
      (await rawRequest(withToken(admin, await token(name, 600, ['https://other.example'])), 'GET', '/api/v1/pods'))
        .status,
    ).toBe(401);
    expect((await rawRequest(withToken(admin, 'garbage'), 'GET', '/api/v1/pods')).status).toBe(401);
    const anonymous = withToken(admin, '');
    expect((await rawRequest(anonymous, 'GET', '/version')).status).toBe(401);
  });

  it("applies RBAC: KEB's binding allows everything, its absence or removal gives 403 naming user, verb and resource", async () => {
    await core.createNamespacedServiceAccount({ namespace: 'kyma-system', body: { metadata: { name: 'plain' } } });
    const plain = clients(withToken(admin, await token('plain'))).core;
    const denied = await apiError(() => plain.listNamespacedPod({ namespace: 'kyma-system' }));
    expect(denied).toEqual({
      code: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'pods is forbidden: User "system:serviceaccount:kyma-system:plain" cannot list resource "pods" in API group "" in the namespace "kyma-system"',
        reason: 'Forbidden',
        details: { kind: 'pods' },
        code: 403,
      },
    });

    const name = await kebBinding('rbac');
    const bound = clients(withToken(admin, await token(name)));
    expect((await bound.core.listNamespace({})).items.length).toBeGreaterThanOrEqual(5);
    await bound.rbac.createClusterRole({ body: { metadata: { name: 'made-by-binding' }, rules: [] } });

    await rbac.deleteClusterRoleBinding({ name });
    const afterUnbind = await apiError(() => bound.rbac.readClusterRole({ name: 'made-by-binding' }));
    expect(afterUnbind.code).toBe(403);
    expect(afterUnbind.body?.message).toBe(
      `clusterroles.rbac.authorization.k8s.io "made-by-binding" is forbidden: User "system:serviceaccount:kyma-system:${name}" cannot get resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope`,
    );
    // The token itself is still valid: discovery (granted to every authenticated user) works.
    expect((await rawRequest(withToken(admin, await token(name)), 'GET', '/api')).status).toBe(200);
  });

  it('lets a RoleBinding grant access in its namespace only', async () => {
    await core.createNamespacedServiceAccount({ namespace: 'kyma-system', body: { metadata: { name: 'ns-reader' } } });
    await rbac.createNamespacedRoleBinding({
      namespace: 'default',
      body: {
        metadata: { name: 'ns-reader' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'gardener.cloud:system:read-only',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'ns-reader', namespace: 'kyma-system' }],
      },
    });
    const reader = clients(withToken(admin, await token('ns-reader'))).core;
    expect((await reader.listNamespacedPod({ namespace: 'default' })).items.length).toBe(2);
    expect((await apiError(() => reader.listNamespacedPod({ namespace: 'kyma-system' }))).code).toBe(403);
    expect(
      (await apiError(() => reader.deleteNamespacedServiceAccount({ name: 'default', namespace: 'default' }))).code,
    ).toBe(403);
  });

  it('replaces objects with PUT (creating RBAC objects on update) and checks resourceVersion', async () => {
    const body = {
      metadata: { name: 'admins' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' }],
    };
    const created = await rbac.replaceClusterRoleBinding({ name: 'admins', body });
    const updated = await rbac.replaceClusterRoleBinding({
      name: 'admins',
      body: {
        ...body,
        subjects: [...body.subjects, { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bob@example.com' }],
      },
    });
    expect(updated.metadata?.uid).toBe(created.metadata?.uid);
    expect(updated.subjects?.map((s) => s.name)).toEqual(['alice@example.com', 'bob@example.com']);
    const stale = await apiError(() =>
      rbac.replaceClusterRoleBinding({
        name: 'admins',
        body: { ...body, metadata: { name: 'admins', resourceVersion: created.metadata?.resourceVersion } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body?.reason).toBe('Conflict');
  });

  it('keeps connections alive across requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const kc = new KubeConfig();
    kc.loadFromString(admin);
    const opts: RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const sockets = new Set<unknown>();
    for (let i = 0; i < 3; i += 1) {
      await new Promise<void>((resolve, reject) => {
        const req = request(
          `${kc.getCurrentCluster()?.server ?? ''}/api/v1/namespaces/default/pods/nope`,
          { ...opts, agent },
          (res) => {
            sockets.add(req.socket);
            expect(res.headers['content-type']).toBe('application/json');
            res.resume();
            res.on('end', () => resolve());
          },
        );
        req.on('error', reject);
        req.end();
      });
    }
    agent.destroy();
    expect(sockets.size).toBe(1);
  });
});
