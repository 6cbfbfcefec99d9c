import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { dump } from 'js-yaml';
import { Landscape, startLandscape } from '../../../src/simulator';
import { kubectl } from '../../support/kubectl';
import { parseKubeconfig, readyRuntime, withToken } from './support';

/** The real kubectl (a Go client) against a runtime and against Gardener, with generated kubeconfigs. */
describe('kubectl against the simulator', () => {
  let landscape: Landscape;
  let admin: string;
  let url: string;
  let core: CoreV1Api;
  let rbac: RbacAuthorizationV1Api;

  beforeAll(async () => {
    landscape = await startLandscape({ shootCreateDelayMs: 0, shootDeleteDelayMs: 0 });
    ({ kubeconfig: admin, url } = await readyRuntime(landscape, 'rt-kubectl'));
    const kc = new KubeConfig();
    kc.loadFromString(admin);
    core = kc.makeApiClient(CoreV1Api);
    rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  });
  afterAll(async () => {
    await landscape.stop();
  });

  /** A KEB-style token kubeconfig for a new ServiceAccount, optionally with KEB's cluster-wide binding. */
  async function tokenKubeconfig(name: string, bind: boolean): Promise<string> {
    await core.createNamespacedServiceAccount({ namespace: 'kyma-system', body: { metadata: { name } } });
    if (bind) {
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
    }
    const tr = await core.createNamespacedServiceAccountToken({
      name,
      namespace: 'kyma-system',
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    return withToken(admin, tr.status?.token ?? '');
  }

  it('lists pods and namespaces with server-side columns (admin certificate)', async () => {
    const pods = await kubectl(admin, ['get', 'pods']);
    expect(pods.stderr).toBe('');
    expect(pods.code).toBe(0);
    expect(pods.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(pods.stdout).toMatch(/sample-app-6d4cf56db6-7xk2p\s+1\/1\s+Running\s+0/);
    expect(pods.stdout).not.toContain('kyma-operator');

    const all = await kubectl(admin, ['get', 'pods', '-A']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^NAMESPACE\s+NAME\s+READY/);
    expect(all.stdout).toMatch(/kyma-system\s+kyma-operator-7b9c8d6f5-hjk4l\s+1\/1\s+Running/);

    const namespaces = await kubectl(admin, ['get', 'namespaces']);
    expect(namespaces.code).toBe(0);
    for (const ns of ['default', 'kube-system', 'kyma-system']) {
      expect(namespaces.stdout).toMatch(new RegExp(`^${ns}\\s+Active\\s+`, 'm'));
    }
  });

  it('answers whoami, can-i and cluster-info for the Gardener admin certificate', async () => {
    const whoami = await kubectl(admin, ['auth', 'whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/Username\s+gardener\.cloud:admin:kyma-broker/);
    expect(whoami.stdout).toMatch(/Groups\s+\[gardener\.cloud:system:admins system:authenticated\]/);

    const canI = await kubectl(admin, ['auth', 'can-i', 'delete', 'namespaces']);
    expect(canI).toMatchObject({ code: 0, stdout: 'yes\n' });

    const list = await kubectl(admin, ['auth', 'can-i', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);

    const info = await kubectl(admin, ['cluster-info']);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`Kubernetes control plane is running at ${url}`);
  });

  it("works with KEB's token kubeconfig: pods everywhere, whoami with the ServiceAccount uid, KEB's rules", async () => {
    const kubeconfig = await tokenKubeconfig('kyma-binding-k1', true);
    const sa = await core.readNamespacedServiceAccount({ name: 'kyma-binding-k1', namespace: 'kyma-system' });

    const pods = await kubectl(kubeconfig, ['get', 'pods', '-A']);
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toContain('coredns-7db6d8ff4d-4fxkz');

    const whoami = await kubectl(kubeconfig, ['auth', 'whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/Username\s+system:serviceaccount:kyma-system:kyma-binding-k1/);
    expect(whoami.stdout).toMatch(new RegExp(`UID\\s+${sa.metadata?.uid ?? 'missing'}`));
    expect(whoami.stdout).toMatch(
      /Groups\s+\[system:serviceaccounts system:serviceaccounts:kyma-system system:authenticated\]/,
    );
    expect(whoami.stdout).toMatch(/Extra: authentication\.kubernetes\.io\/credential-id\s+\[JTI=[0-9a-f-]{36}\]/);

    const canI = await kubectl(kubeconfig, ['auth', 'can-i', 'list', 'pods']);
    expect(canI).toMatchObject({ code: 0, stdout: 'yes\n' });

    const rules = await kubectl(kubeconfig, ['auth', 'can-i', '--list']);
    expect(rules.code).toBe(0);
    const lines = rules.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    expect(lines[1]).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/);
    expect(rules.stdout).toMatch(/^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    expect(rules.stdout).toMatch(/^\s+\[\/apis\/\*\]\s+\[\]\s+\[get\]$/m);
    // No wildcard non-resource row: KEB's role has no nonResourceURLs.
    expect(rules.stdout).not.toMatch(/\[\*\]\s+\[\]\s+\[\*\]/);
  });

  it('says no and Forbidden for a ServiceAccount without a binding', async () => {
    const kubeconfig = await tokenKubeconfig('kyma-binding-none', false);
    const canI = await kubectl(kubeconfig, ['auth', 'can-i', 'list', 'pods']);
    expect(canI.code).toBe(1);
    expect(canI.stdout).toBe('no\n');
    const pods = await kubectl(kubeconfig, ['get', 'pods']);
    expect(pods.code).toBe(1);
    expect(pods.stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:kyma-system:kyma-binding-none" cannot list resource "pods" in API group "" in the namespace "default"',
    );
  });

  it('tells the user to log in once the ServiceAccount is gone', async () => {
    const kubeconfig = await tokenKubeconfig('kyma-binding-gone', true);
    expect((await kubectl(kubeconfig, ['get', 'pods'])).code).toBe(0);
    await core.deleteNamespacedServiceAccount({ name: 'kyma-binding-gone', namespace: 'kyma-system' });
    const refused = await kubectl(kubeconfig, ['get', 'pods']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('You must be logged in to the server');
  });

  it("accepts kubectl's protobuf bodies for typed create commands", async () => {
    const created = await kubectl(admin, ['create', 'serviceaccount', 'from-kubectl', '-n', 'kyma-system']);
    expect(created).toMatchObject({ code: 0, stdout: 'serviceaccount/from-kubectl created\n' });
    const bound = await kubectl(admin, [
      'create',
      'clusterrolebinding',
      'from-kubectl',
      '--clusterrole=cluster-admin',
      '--serviceaccount=kyma-system:from-kubectl',
    ]);
    expect(bound.code).toBe(0);
    const token = await kubectl(admin, ['create', 'token', 'from-kubectl', '-n', 'kyma-system', '--duration=15m']);
    expect(token.code).toBe(0);
    const whoami = await kubectl(withToken(admin, token.stdout.trim()), ['auth', 'whoami']);
    expect(whoami.stdout).toContain('system:serviceaccount:kyma-system:from-kubectl');
    const tooShort = await kubectl(admin, ['create', 'token', 'from-kubectl', '-n', 'kyma-system', '--duration=5m']);
    expect(tooShort.code).toBe(1);
    expect(tooShort.stderr).toContain('may not specify a duration less than 10 minutes');
  });

  it('applies manifests (server-side field validation advertised through OpenAPI v3) and re-applies changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kbt-apply-'));
    const manifest = (verbs: string) => {
      const file = join(dir, `${verbs.replace(/\W/g, '')}.yaml`);
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: ServiceAccount',
          'metadata: {name: applied, namespace: default}',
          '---',
          'apiVersion: rbac.authorization.k8s.io/v1',
          'kind: ClusterRole',
          'metadata: {name: applied}',
          `rules: [{apiGroups: [""], resources: [pods], verbs: [${verbs}]}]`,
        ].join('\n'),
      );
      return file;
    };
    const created = await kubectl(admin, ['apply', '-f', manifest('get')]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe(
      'serviceaccount/applied created\nclusterrole.rbac.authorization.k8s.io/applied created\n',
    );
    const changed = await kubectl(admin, ['apply', '-f', manifest('get, list')]);
    expect(changed.stderr).toBe('');
    expect(changed.stdout).toBe(
      'serviceaccount/applied unchanged\nclusterrole.rbac.authorization.k8s.io/applied configured\n',
    );
    expect((await rbac.readClusterRole({ name: 'applied' })).rules?.[0].verbs).toEqual(['get', 'list']);
    const deleted = await kubectl(admin, ['delete', '-f', manifest('get')]);
    expect(deleted.code).toBe(0);
    expect(
      (await core.listNamespacedServiceAccount({ namespace: 'default' })).items.map((s) => s.metadata?.name),
    ).toEqual(['default']);
  });

  it('fails TLS with a wrong CA (the CA is really verified)', async () => {
    const doc = parseKubeconfig(admin);
    const other = parseKubeconfig(landscape.gardenerKubeconfig);
    doc.clusters[0].cluster['certificate-authority-data'] = other.clusters[0].cluster['certificate-authority-data'];
    const result = await kubectl(dump(doc), ['get', 'pods']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('certificate signed by unknown authority');
  });

  it("lists shoots across projects with the broker's Gardener kubeconfig", async () => {
    const shoots = await kubectl(landscape.gardenerKubeconfig, ['get', 'shoots', '-A']);
    expect(shoots.stderr).toBe('');
    expect(shoots.code).toBe(0);
    expect(shoots.stdout).toMatch(
      /^NAMESPACE\s+NAME\s+CLOUDPROFILE\s+PROVIDER\s+REGION\s+K8S VERSION\s+HIBERNATION\s+LAST OPERATION\s+STATUS\s+AGE$/m,
    );
    expect(shoots.stdout).toMatch(
      /garden-kyma\s+rt-kubectl\s+aws\s+aws\s+eu-central-1\s+1\.32\s+Awake\s+Create Succeeded \(100%\)\s+healthy/,
    );
    const json = await kubectl(landscape.gardenerKubeconfig, [
      'get',
      'shoot',
      'rt-kubectl',
      '-n',
      'garden-kyma',
      '-o',
      'jsonpath={.status.advertisedAddresses[0].url}',
    ]);
    expect(json.stdout).toBe(url);
  });
});
