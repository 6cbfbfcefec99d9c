import { asRecords, asString, asStrings, dig, isRecord } from './json';

/**
 * The RBAC authorizer (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac): ClusterRoleBindings apply
 * everywhere, RoleBindings only inside their namespace; a request is allowed when any rule of any
 * bound role covers it. Nothing is cached, so deleting a binding revokes access at once.
 */

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  namespace: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  name: string;
}

/** Read access to the RBAC objects of one cluster, as plain JSON. */
export interface RbacObjects {
  clusterRole(name: string): unknown;
  role(namespace: string, name: string): unknown;
  clusterRoleBindings(): readonly unknown[];
  roleBindings(namespace: string): readonly unknown[];
}

export interface Decision {
  allowed: boolean;
  /** Why: which binding allowed it, or which referenced roles were missing. */
  reason: string;
}

/** Members of this group bypass RBAC entirely, as in kube-apiserver. */
export const SUPERUSER_GROUP = 'system:masters';

export function toPolicyRules(role: unknown): PolicyRule[] {
  return asRecords(dig(role, 'rules')).map((r) => ({
    verbs: asStrings(r.verbs),
    ...(r.apiGroups !== undefined ? { apiGroups: asStrings(r.apiGroups) } : {}),
    ...(r.resources !== undefined ? { resources: asStrings(r.resources) } : {}),
    ...(r.resourceNames !== undefined ? { resourceNames: asStrings(r.resourceNames) } : {}),
    ...(r.nonResourceURLs !== undefined ? { nonResourceURLs: asStrings(r.nonResourceURLs) } : {}),
  }));
}

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  const groups = rule.apiGroups ?? [];
  return groups.includes('*') || groups.includes(group);
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`),
  );
}

function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))),
  );
}

export function ruleAllows(rule: PolicyRule, attrs: Omit<AuthorizationAttributes, 'user'>): boolean {
  if (attrs.isResourceRequest) {
    return (
      verbMatches(rule, attrs.verb) &&
      apiGroupMatches(rule, attrs.apiGroup) &&
      resourceMatches(rule, attrs.resource, attrs.subresource) &&
      resourceNameMatches(rule, attrs.name)
    );
  }
  return verbMatches(rule, attrs.verb) && nonResourceURLMatches(rule, attrs.path);
}

function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The subject of a binding that matches the user, if any. */
function matchingSubject(
  binding: unknown,
  user: UserInfo,
  bindingNamespace: string,
): Record<string, unknown> | undefined {
  return asRecords(dig(binding, 'subjects')).find((s) => {
    const name = asString(s.name) ?? '';
    switch (s.kind) {
      case 'User':
        return name === user.username;
      case 'Group':
        return user.groups.includes(name);
      case 'ServiceAccount': {
        // A RoleBinding's ServiceAccount subject without a namespace means the binding's own namespace.
        const ns = asString(s.namespace) || bindingNamespace;
        return ns !== '' && serviceAccountUsername(ns, name) === user.username;
      }
      default:
        return false;
    }
  });
}

function describeSubject(subject: Record<string, unknown>, bindingNamespace: string): string {
  const name = asString(subject.name) ?? '';
  if (subject.kind === 'ServiceAccount') {
    return `ServiceAccount "${name}/${asString(subject.namespace) || bindingNamespace}"`;
  }
  return `${String(subject.kind)} "${name}"`;
}

interface BoundRules {
  rules: PolicyRule[];
  /** `RBAC: allowed by ...` source description, for the Decision reason. */
  source: string;
}

/** Walks the bindings that apply to the user in a namespace (or cluster-wide for ''), collecting rules and errors. */
function visit(objects: RbacObjects, user: UserInfo, namespace: string): { bound: BoundRules[]; errors: string[] } {
  const bound: BoundRules[] = [];
  const errors: string[] = [];
  const resolve = (binding: unknown, bindingNamespace: string): void => {
    const subject = matchingSubject(binding, user, bindingNamespace);
    if (!subject) {
      return;
    }
    const refKind = asString(dig(binding, 'roleRef', 'kind'));
    const refName = asString(dig(binding, 'roleRef', 'name')) ?? '';
    const role = refKind === 'ClusterRole' ? objects.clusterRole(refName) : objects.role(bindingNamespace, refName);
    if (!isRecord(role)) {
      errors.push(
        refKind === 'ClusterRole'
          ? `clusterrole.rbac.authorization.k8s.io "${refName}" not found`
          : `role.rbac.authorization.k8s.io "${refName}" not found`,
      );
      return;
    }
    const bindingName = asString(dig(binding, 'metadata', 'name')) ?? '';
    const via = bindingNamespace
      ? `RoleBinding "${bindingName}/${bindingNamespace}" of ${refKind} "${refName}"`
      : `ClusterRoleBinding "${bindingName}" of ClusterRole "${refName}"`;
    bound.push({ rules: toPolicyRules(role), source: `${via} to ${describeSubject(subject, bindingNamespace)}` });
  };
  for (const binding of objects.clusterRoleBindings()) {
    resolve(binding, '');
  }
  if (namespace) {
    for (const binding of objects.roleBindings(namespace)) {
      resolve(binding, namespace);
    }
  }
  return { bound, errors };
}

function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}

export function authorize(objects: RbacObjects, attrs: AuthorizationAttributes): Decision {
  if (attrs.user.groups.includes(SUPERUSER_GROUP)) {
    return { allowed: true, reason: '' };
  }
  const { bound, errors } = visit(objects, attrs.user, attrs.isResourceRequest ? attrs.namespace : '');
  for (const { rules, source } of bound) {
    if (rules.some((rule) => ruleAllows(rule, attrs))) {
      return { allowed: true, reason: `RBAC: allowed by ${source}` };
    }
  }
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregate(errors)}` : '' };
}

export interface SubjectRules {
  resourceRules: Array<Required<Pick<PolicyRule, 'verbs'>> & Omit<PolicyRule, 'nonResourceURLs' | 'verbs'>>;
  nonResourceRules: Array<{ verbs: string[]; nonResourceURLs: string[] }>;
  incomplete: boolean;
  evaluationError?: string;
}

/** What SelfSubjectRulesReview reports: every rule bound to the user in the namespace, unmerged. */
export function rulesFor(objects: RbacObjects, user: UserInfo, namespace: string): SubjectRules {
  const out: SubjectRules = { resourceRules: [], nonResourceRules: [], incomplete: false };
  if (user.groups.includes(SUPERUSER_GROUP)) {
    out.resourceRules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    out.nonResourceRules.push({ verbs: ['*'], nonResourceURLs: ['*'] });
    return out;
  }
  const { bound, errors } = visit(objects, user, namespace);
  for (const { rules } of bound) {
    for (const rule of rules) {
      if (rule.resources?.length) {
        out.resourceRules.push({
          verbs: rule.verbs,
          apiGroups: rule.apiGroups ?? [],
          resources: rule.resources,
          ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
        });
      }
      if (rule.nonResourceURLs?.length) {
        out.nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
      }
    }
  }
  if (errors.length) {
    out.incomplete = true;
    out.evaluationError = aggregate(errors);
  }
  return out;
}

/** The user-facing Forbidden text (apiserver responsewriters.forbiddenMessage). */
export function forbiddenMessage(attrs: AuthorizationAttributes): string {
  if (!attrs.isResourceRequest) {
    return `User "${attrs.user.username}" cannot ${attrs.verb} path "${attrs.path}"`;
  }
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `User "${attrs.user.username}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${scope}`;
}
