import { authorize, AuthorizationAttributes, forbiddenMessage, RbacObjects, rulesFor, UserInfo } from './rbac';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from './seed';

interface Fixture {
  clusterRoles?: Array<{ metadata: { name: string }; rules: unknown[] }>;
  roles?: Array<{ metadata: { name: string; namespace: string }; rules: unknown[] }>;
  clusterRoleBindings?: unknown[];
  roleBindings?: Array<{ metadata: { name: string; namespace: string } } & Record<string, unknown>>;
}

function objects(f: Fixture): RbacObjects {
  const clusterRoles = [...BOOTSTRAP_CLUSTER_ROLES, ...(f.clusterRoles ?? [])];
  return {
    clusterRole: (name) => clusterRoles.find((r) => r.metadata.name === name),
    role: (ns, name) => f.roles?.find((r) => r.metadata.name === name && r.metadata.namespace === ns),
    clusterRoleBindings: () => [...BOOTSTRAP_CLUSTER_ROLE_BINDINGS, ...(f.clusterRoleBindings ?? [])],
    roleBindings: (ns) => (f.roleBindings ?? []).filter((b) => b.metadata.namespace === ns),
  };
}

const sa: UserInfo = {
  username: 'system:serviceaccount:kyma-system:kyma-binding-b1',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kyma-system', 'system:authenticated'],
};

function request(user: UserInfo, attrs: Partial<AuthorizationAttributes>): AuthorizationAttributes {
  return {
    user,
    verb: 'get',
    isResourceRequest: true,
    path: '',
    namespace: '',
    apiGroup: '',
    resource: '',
    subresource: '',
    name: '',
    ...attrs,
  };
}

/** KEB's binding objects: ClusterRole {*,*,*} bound to the ServiceAccount. */
const kebBinding: Fixture = {
  clusterRoles: [
    { metadata: { name: 'kyma-binding-b1' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
  ],
  clusterRoleBindings: [
    {
      metadata: { name: 'kyma-binding-b1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kyma-binding-b1' },
      subjects: [{ kind: 'ServiceAccount', name: 'kyma-binding-b1', namespace: 'kyma-system' }],
    },
  ],
};

describe('RBAC evaluation', () => {
  it("grants KEB's binding role every resource verb, and says which binding allowed it", () => {
    const decision = authorize(objects(kebBinding), request(sa, { verb: 'list', resource: 'pods' }));
    expect(decision).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "kyma-binding-b1" of ClusterRole "kyma-binding-b1" to ServiceAccount "kyma-binding-b1/kyma-system"',
    });
    expect(
      authorize(
        objects(kebBinding),
        request(sa, { verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'x', namespace: 'a' }),
      ).allowed,
    ).toBe(true);
  });

  it('does not extend {*,*,*} to non-resource URLs beyond the discovery defaults', () => {
    const nonResource = (path: string) => request(sa, { isResourceRequest: false, path, verb: 'get' });
    expect(authorize(objects(kebBinding), nonResource('/metrics')).allowed).toBe(false);
    expect(authorize(objects(kebBinding), nonResource('/apis/rbac.authorization.k8s.io/v1')).allowed).toBe(true);
    expect(authorize(objects(kebBinding), nonResource('/version')).allowed).toBe(true);
    expect(authorize(objects(kebBinding), { ...nonResource('/version'), verb: 'post' }).allowed).toBe(false);
  });

  it('denies a ServiceAccount without bindings, except the basic-user self reviews', () => {
    const none = objects({});
    expect(authorize(none, request(sa, { verb: 'list', resource: 'pods', namespace: 'default' }))).toEqual({
      allowed: false,
      reason: '',
    });
    expect(
      authorize(
        none,
        request(sa, { verb: 'create', apiGroup: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews' }),
      ).allowed,
    ).toBe(true);
    expect(
      authorize(
        none,
        request(sa, { verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'selfsubjectreviews' }),
      ).allowed,
    ).toBe(true);
  });

  it('matches a ServiceAccount subject by namespace too', () => {
    const other = { ...sa, username: 'system:serviceaccount:default:kyma-binding-b1' };
    expect(authorize(objects(kebBinding), request(other, { verb: 'list', resource: 'pods' })).allowed).toBe(false);
  });

  it('honours resourceNames: named requests only, never list or create', () => {
    const f = objects({
      clusterRoles: [
        {
          metadata: { name: 'one-ns' },
          rules: [
            { verbs: ['get', 'list', 'create'], apiGroups: [''], resources: ['namespaces'], resourceNames: ['a'] },
          ],
        },
      ],
      clusterRoleBindings: [
        {
          metadata: { name: 'x' },
          roleRef: { kind: 'ClusterRole', name: 'one-ns' },
          subjects: [{ kind: 'User', name: 'alice' }],
        },
      ],
    });
    const alice = { username: 'alice', groups: ['system:authenticated'] };
    expect(authorize(f, request(alice, { resource: 'namespaces', name: 'a' })).allowed).toBe(true);
    expect(authorize(f, request(alice, { resource: 'namespaces', name: 'b' })).allowed).toBe(false);
    expect(authorize(f, request(alice, { verb: 'list', resource: 'namespaces' })).allowed).toBe(false);
    expect(authorize(f, request(alice, { verb: 'create', resource: 'namespaces' })).allowed).toBe(false);
  });

  it('needs a rule naming the subresource (or */subresource), and the right API group', () => {
    const f = objects({
      clusterRoles: [
        {
          metadata: { name: 'r' },
          rules: [
            { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
            { verbs: ['get'], apiGroups: [''], resources: ['*/status'] },
          ],
        },
      ],
      clusterRoleBindings: [
        {
          metadata: { name: 'b' },
          roleRef: { kind: 'ClusterRole', name: 'r' },
          subjects: [{ kind: 'Group', name: 'devs' }],
        },
      ],
    });
    const dev = { username: 'bob', groups: ['devs', 'system:authenticated'] };
    expect(authorize(f, request(dev, { resource: 'pods', name: 'p' })).allowed).toBe(true);
    expect(authorize(f, request(dev, { resource: 'pods', subresource: 'log', name: 'p' })).allowed).toBe(false);
    expect(authorize(f, request(dev, { resource: 'services', subresource: 'status', name: 's' })).allowed).toBe(true);
    expect(authorize(f, request(dev, { apiGroup: 'apps', resource: 'pods', name: 'p' })).allowed).toBe(false);
  });

  it('limits a RoleBinding to its own namespace, also when it references a ClusterRole', () => {
    const f = objects({
      roles: [
        {
          metadata: { name: 'reader', namespace: 'team' },
          rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }],
        },
      ],
      roleBindings: [
        {
          metadata: { name: 'rb1', namespace: 'team' },
          roleRef: { kind: 'Role', name: 'reader' },
          subjects: [{ kind: 'User', name: 'carol' }],
        },
        {
          metadata: { name: 'rb2', namespace: 'ops' },
          roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
          // A ServiceAccount subject without namespace means the binding's namespace.
          subjects: [{ kind: 'ServiceAccount', name: 'robot' }],
        },
      ],
    });
    const carol = { username: 'carol', groups: ['system:authenticated'] };
    expect(authorize(f, request(carol, { verb: 'list', resource: 'pods', namespace: 'team' }))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "rb1/team" of Role "reader" to User "carol"',
    });
    expect(authorize(f, request(carol, { verb: 'list', resource: 'pods', namespace: 'other' })).allowed).toBe(false);
    expect(authorize(f, request(carol, { verb: 'list', resource: 'pods' })).allowed).toBe(false);
    const robot = { username: 'system:serviceaccount:ops:robot', groups: ['system:authenticated'] };
    expect(
      authorize(f, request(robot, { verb: 'delete', resource: 'secrets', namespace: 'ops', name: 'x' })).allowed,
    ).toBe(true);
    expect(
      authorize(f, request(robot, { verb: 'delete', resource: 'secrets', namespace: 'team', name: 'x' })).allowed,
    ).toBe(false);
  });

  it('reports bindings whose role is missing in the reason', () => {
    const f = objects({
      clusterRoleBindings: [
        {
          metadata: { name: 'b' },
          roleRef: { kind: 'ClusterRole', name: 'gone' },
          subjects: [{ kind: 'User', name: 'dave' }],
        },
      ],
    });
    expect(authorize(f, request({ username: 'dave', groups: [] }, { verb: 'list', resource: 'pods' }))).toEqual({
      allowed: false,
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    });
  });

  it('gives Gardener admin certificates cluster-admin and system:masters everything', () => {
    const admin = {
      username: 'gardener.cloud:admin:kyma-broker',
      groups: ['gardener.cloud:system:admins', 'system:authenticated'],
    };
    expect(authorize(objects({}), request(admin, { verb: 'delete', resource: 'namespaces', name: 'x' })).allowed).toBe(
      true,
    );
    expect(
      authorize(objects({}), request(admin, { isResourceRequest: false, path: '/metrics', verb: 'get' })).allowed,
    ).toBe(true);
    const master = { username: 'm', groups: ['system:masters'] };
    expect(
      authorize(
        { clusterRole: () => undefined, role: () => undefined, clusterRoleBindings: () => [], roleBindings: () => [] },
        request(master, { verb: 'escalate', resource: 'x' }),
      ).allowed,
    ).toBe(true);
  });

  it('flattens the rules of all applicable bindings for SelfSubjectRulesReview', () => {
    const rules = rulesFor(objects(kebBinding), sa, 'default');
    expect(rules.incomplete).toBe(false);
    expect(rules.resourceRules).toHaveLength(3);
    expect(rules.resourceRules).toEqual(
      expect.arrayContaining([
        { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
        { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
      ]),
    );
    expect(rules.nonResourceRules.flatMap((r) => r.nonResourceURLs)).toEqual(
      expect.arrayContaining(['/api', '/api/*', '/apis', '/apis/*', '/version', '/healthz']),
    );
    expect(rules.nonResourceRules.flatMap((r) => r.nonResourceURLs)).not.toContain('*');
  });

  it('phrases Forbidden messages as kube-apiserver does', () => {
    expect(forbiddenMessage(request(sa, { verb: 'list', resource: 'pods' }))).toBe(
      'User "system:serviceaccount:kyma-system:kyma-binding-b1" cannot list resource "pods" in API group "" at the cluster scope',
    );
    expect(
      forbiddenMessage(
        request(sa, {
          verb: 'get',
          apiGroup: 'rbac.authorization.k8s.io',
          resource: 'roles',
          name: 'r',
          namespace: 'x',
        }),
      ),
    ).toBe(
      'User "system:serviceaccount:kyma-system:kyma-binding-b1" cannot get resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "x"',
    );
    expect(forbiddenMessage(request(sa, { isResourceRequest: false, path: '/metrics' }))).toBe(
      'User "system:serviceaccount:kyma-system:kyma-binding-b1" cannot get path "/metrics"',
    );
    expect(
      forbiddenMessage(
        request(sa, { verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'a' }),
      ),
    ).toContain('cannot create resource "serviceaccounts/token"');
  });
});
