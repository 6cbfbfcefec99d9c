import { asString, dig, isRecord, JsonObject } from './json';
import { authorize, RbacObjects, rulesFor, UserInfo } from './rbac';
import { invalid } from './status';

/**
 * The self-review APIs behind `kubectl auth whoami` (SelfSubjectReview) and `kubectl auth can-i`
 * (SelfSubjectAccessReview, and SelfSubjectRulesReview for `--list`). They answer about the caller only.
 */

export function selfSubjectReview(user: UserInfo): JsonObject {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        username: user.username,
        ...(user.uid ? { uid: user.uid } : {}),
        groups: user.groups,
        ...(user.extra && Object.keys(user.extra).length ? { extra: user.extra } : {}),
      },
    },
  };
}

function str(value: unknown): string {
  return asString(value) ?? '';
}

export function selfSubjectAccessReview(input: JsonObject, user: UserInfo, rbac: RbacObjects): JsonObject {
  const spec = isRecord(input.spec) ? input.spec : {};
  const resource = dig(spec, 'resourceAttributes');
  const nonResource = dig(spec, 'nonResourceAttributes');
  if (isRecord(resource) === isRecord(nonResource)) {
    throw invalid('authorization.k8s.io', 'SelfSubjectAccessReview', '', [
      {
        field: 'spec.resourceAttributes',
        value: isRecord(resource) ? '"resourceAttributes"' : '"null"',
        detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]);
  }
  const decision = isRecord(resource)
    ? authorize(rbac, {
        user,
        isResourceRequest: true,
        path: '',
        verb: str(resource.verb),
        apiGroup: str(resource.group),
        resource: str(resource.resource),
        subresource: str(resource.subresource),
        name: str(resource.name),
        namespace: str(resource.namespace),
      })
    : authorize(rbac, {
        user,
        isResourceRequest: false,
        path: str(dig(nonResource, 'path')),
        verb: str(dig(nonResource, 'verb')),
        apiGroup: '',
        resource: '',
        subresource: '',
        name: '',
        namespace: '',
      });
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) },
  };
}

export function selfSubjectRulesReview(input: JsonObject, user: UserInfo, rbac: RbacObjects): JsonObject {
  const spec = isRecord(input.spec) ? input.spec : {};
  return {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    status: rulesFor(rbac, user, str(spec.namespace)),
  };
}
