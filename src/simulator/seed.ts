import { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES, NAMESPACES, PODS, SERVICE_ACCOUNTS, SERVICES } from './resources';
import type { KubeObject, ObjectStore } from './store';

/**
 * What a fresh runtime contains: system namespaces, a few running pods, the `kubernetes` service,
 * `default` ServiceAccounts and the bootstrap RBAC policy every kube-apiserver installs (the parts
 * that matter for access decisions), plus the bindings Gardener's admin and viewer certificates use.
 */

export const ADMINS_GROUP = 'gardener.cloud:system:admins';
export const PROJECT_ADMINS_GROUP = 'gardener.cloud:project:admins';
export const VIEWERS_GROUP = 'gardener.cloud:system:viewers';
export const PROJECT_VIEWERS_GROUP = 'gardener.cloud:project:viewers';

const BOOTSTRAP = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'kyma-system'];

const DISCOVERY_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/openapi',
  '/openapi/*',
  '/readyz',
  '/version',
  '/version/',
];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

function clusterRole(name: string, rules: unknown[]): KubeObject {
  return { metadata: { name, ...BOOTSTRAP }, rules };
}

function groupBinding(name: string, role: string, groups: string[]): KubeObject {
  return {
    metadata: { name, ...BOOTSTRAP },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  };
}

export const BOOTSTRAP_CLUSTER_ROLES: KubeObject[] = [
  clusterRole('cluster-admin', [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['*'], nonResourceURLs: ['*'] },
  ]),
  clusterRole('system:discovery', [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }]),
  clusterRole('system:public-info-viewer', [{ verbs: ['get'], nonResourceURLs: PUBLIC_INFO_URLS }]),
  clusterRole('system:basic-user', [
    {
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ]),
  // Gardener's viewer kubeconfigs: read everything (the simulator serves no Secrets to exclude).
  clusterRole('gardener.cloud:system:read-only', [
    { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] },
  ]),
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: KubeObject[] = [
  groupBinding('cluster-admin', 'cluster-admin', ['system:masters']),
  groupBinding('system:discovery', 'system:discovery', ['system:authenticated']),
  groupBinding('system:public-info-viewer', 'system:public-info-viewer', [
    'system:authenticated',
    'system:unauthenticated',
  ]),
  groupBinding('system:basic-user', 'system:basic-user', ['system:authenticated']),
  groupBinding('gardener.cloud:system:admins', 'cluster-admin', [ADMINS_GROUP, PROJECT_ADMINS_GROUP]),
  groupBinding('gardener.cloud:system:viewers', 'gardener.cloud:system:read-only', [
    VIEWERS_GROUP,
    PROJECT_VIEWERS_GROUP,
  ]),
];

function pod(namespace: string, name: string, app: string, image: string, ip: string): KubeObject {
  return {
    metadata: { name, namespace, labels: { app } },
    spec: { containers: [{ name: app, image }], nodeName: 'shoot--worker-z1-0', serviceAccountName: 'default' },
    status: {
      phase: 'Running',
      podIP: ip,
      hostIP: '10.250.0.2',
      containerStatuses: [{ name: app, image, ready: true, started: true, restartCount: 0, state: { running: {} } }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

export const SEED_PODS: KubeObject[] = [
  pod('default', 'sample-app-6d4cf56db6-7xk2p', 'sample-app', 'nginx:1.27', '100.96.0.10'),
  pod('default', 'sample-app-6d4cf56db6-q9w8r', 'sample-app', 'nginx:1.27', '100.96.0.11'),
  pod('kube-system', 'coredns-7db6d8ff4d-4fxkz', 'coredns', 'registry.k8s.io/coredns/coredns:v1.11.3', '100.96.0.2'),
  pod(
    'kyma-system',
    'kyma-operator-7b9c8d6f5-hjk4l',
    'kyma-operator',
    'europe-docker.pkg.dev/kyma-project/prod/lifecycle-manager:1.0.0',
    '100.96.0.20',
  ),
  pod(
    'kyma-system',
    'istio-controller-manager-5f7d9c8b7-mn2pq',
    'istio-controller-manager',
    'europe-docker.pkg.dev/kyma-project/prod/istio-manager:1.0.0',
    '100.96.0.21',
  ),
];

export function defaultServiceAccount(namespace: string): KubeObject {
  return { metadata: { name: 'default', namespace } };
}

export function seedRuntime(store: ObjectStore): void {
  for (const name of SYSTEM_NAMESPACES) {
    store.create(NAMESPACES, {
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    store.create(SERVICE_ACCOUNTS, defaultServiceAccount(name));
  }
  for (const p of SEED_PODS) {
    store.create(PODS, p);
  }
  store.create(SERVICES, {
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '100.64.0.1',
      clusterIPs: ['100.64.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
    },
  });
  for (const role of BOOTSTRAP_CLUSTER_ROLES) {
    store.create(CLUSTER_ROLES, role);
  }
  for (const binding of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) {
    store.create(CLUSTER_ROLE_BINDINGS, binding);
  }
}
