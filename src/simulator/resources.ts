import type { GroupResource } from './status';

/** One REST resource an API server serves: what discovery advertises and what the handlers key on. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: the URL segment. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /**
   * DELETE answers with the deleted object (ServiceAccounts, Namespaces, Shoots) or with a Success
   * Status (RBAC objects): client-node types these differently, so match the real servers.
   */
  deleteReturnsObject: boolean;
  /** PUT of a missing object creates it (true for RBAC kinds in kube-apiserver, false for most others). */
  allowCreateOnUpdate?: boolean;
  /** How names are validated: DNS label (namespaces, shoots), DNS subdomain (default) or path segment (RBAC). */
  nameRule?: 'dns-label' | 'dns-subdomain' | 'path-segment';
}

/** A subresource, listed in discovery as `<resource>/<name>` (e.g. `serviceaccounts/token`). */
export interface SubresourceType {
  parent: ResourceType;
  name: string;
  kind: string;
  /** The group/version of the subresource's own kind when it differs (TokenRequest lives in authentication.k8s.io/v1). */
  group?: string;
  version?: string;
  verbs: string[];
}

export function apiVersionOf(rt: { group: string; version: string }): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function groupResourceOf(rt: ResourceType): GroupResource {
  return { group: rt.group, resource: rt.resource };
}

const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update'];
const READ = ['get', 'list'];
const CREATE_ONLY = ['create'];
const RBAC = 'rbac.authorization.k8s.io';

function rt(spec: Omit<ResourceType, 'deleteReturnsObject'> & { deleteReturnsObject?: boolean }): ResourceType {
  return { deleteReturnsObject: true, ...spec };
}

export const NAMESPACES = rt({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  namespaced: false,
  verbs: CRUD,
  shortNames: ['ns'],
  nameRule: 'dns-label',
});
export const PODS = rt({
  group: '',
  version: 'v1',
  resource: 'pods',
  singular: 'pod',
  kind: 'Pod',
  namespaced: true,
  verbs: READ,
  shortNames: ['po'],
  categories: ['all'],
});
export const SERVICES = rt({
  group: '',
  version: 'v1',
  resource: 'services',
  singular: 'service',
  kind: 'Service',
  namespaced: true,
  verbs: READ,
  shortNames: ['svc'],
  categories: ['all'],
});
export const SERVICE_ACCOUNTS = rt({
  group: '',
  version: 'v1',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  kind: 'ServiceAccount',
  namespaced: true,
  verbs: CRUD,
  shortNames: ['sa'],
});
export const CLUSTER_ROLES = rt({
  group: RBAC,
  version: 'v1',
  resource: 'clusterroles',
  singular: 'clusterrole',
  kind: 'ClusterRole',
  namespaced: false,
  verbs: CRUD,
  deleteReturnsObject: false,
  allowCreateOnUpdate: true,
  nameRule: 'path-segment',
});
export const CLUSTER_ROLE_BINDINGS = rt({
  group: RBAC,
  version: 'v1',
  resource: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  kind: 'ClusterRoleBinding',
  namespaced: false,
  verbs: CRUD,
  deleteReturnsObject: false,
  allowCreateOnUpdate: true,
  nameRule: 'path-segment',
});
export const ROLES = rt({
  group: RBAC,
  version: 'v1',
  resource: 'roles',
  singular: 'role',
  kind: 'Role',
  namespaced: true,
  verbs: CRUD,
  deleteReturnsObject: false,
  allowCreateOnUpdate: true,
  nameRule: 'path-segment',
});
export const ROLE_BINDINGS = rt({
  group: RBAC,
  version: 'v1',
  resource: 'rolebindings',
  singular: 'rolebinding',
  kind: 'RoleBinding',
  namespaced: true,
  verbs: CRUD,
  deleteReturnsObject: false,
  allowCreateOnUpdate: true,
  nameRule: 'path-segment',
});
export const SELF_SUBJECT_REVIEWS = rt({
  group: 'authentication.k8s.io',
  version: 'v1',
  resource: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  kind: 'SelfSubjectReview',
  namespaced: false,
  verbs: CREATE_ONLY,
});
export const SELF_SUBJECT_ACCESS_REVIEWS = rt({
  group: 'authorization.k8s.io',
  version: 'v1',
  resource: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  verbs: CREATE_ONLY,
});
export const SELF_SUBJECT_RULES_REVIEWS = rt({
  group: 'authorization.k8s.io',
  version: 'v1',
  resource: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  kind: 'SelfSubjectRulesReview',
  namespaced: false,
  verbs: CREATE_ONLY,
});

export const SERVICE_ACCOUNT_TOKEN: SubresourceType = {
  parent: SERVICE_ACCOUNTS,
  name: 'token',
  kind: 'TokenRequest',
  group: 'authentication.k8s.io',
  version: 'v1',
  verbs: CREATE_ONLY,
};

/** Everything a runtime's kube-apiserver serves. */
export const RUNTIME_RESOURCES: ResourceType[] = [
  NAMESPACES,
  PODS,
  SERVICES,
  SERVICE_ACCOUNTS,
  CLUSTER_ROLES,
  CLUSTER_ROLE_BINDINGS,
  ROLES,
  ROLE_BINDINGS,
  SELF_SUBJECT_REVIEWS,
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
];
export const RUNTIME_SUBRESOURCES: SubresourceType[] = [SERVICE_ACCOUNT_TOKEN];

export const GARDENER_GROUP = 'core.gardener.cloud';
export const GARDENER_AUTH_GROUP = 'authentication.gardener.cloud';

export const SHOOTS = rt({
  group: GARDENER_GROUP,
  version: 'v1beta1',
  resource: 'shoots',
  singular: 'shoot',
  kind: 'Shoot',
  namespaced: true,
  verbs: CRUD,
  nameRule: 'dns-label',
});
/** The Gardener cluster's project namespaces, read-only: `kubectl get shoots -A` needs core/v1 discovery. */
export const GARDEN_NAMESPACES = rt({ ...NAMESPACES, verbs: READ });

export const ADMIN_KUBECONFIG: SubresourceType = {
  parent: SHOOTS,
  name: 'adminkubeconfig',
  kind: 'AdminKubeconfigRequest',
  group: GARDENER_AUTH_GROUP,
  version: 'v1alpha1',
  verbs: CREATE_ONLY,
};
export const VIEWER_KUBECONFIG: SubresourceType = {
  parent: SHOOTS,
  name: 'viewerkubeconfig',
  kind: 'ViewerKubeconfigRequest',
  group: GARDENER_AUTH_GROUP,
  version: 'v1alpha1',
  verbs: CREATE_ONLY,
};

export const GARDENER_RESOURCES: ResourceType[] = [GARDEN_NAMESPACES, SHOOTS];
export const GARDENER_SUBRESOURCES: SubresourceType[] = [ADMIN_KUBECONFIG, VIEWER_KUBECONFIG];

export function findResource(
  catalog: ResourceType[],
  group: string,
  version: string,
  resource: string,
): ResourceType | undefined {
  return catalog.find((r) => r.group === group && r.version === version && r.resource === resource);
}
