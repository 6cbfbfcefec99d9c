import { Inject, Injectable } from '@nestjs/common';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RuntimeAccess } from '../gardener/runtime-access';
import { statusCodeOf } from '../gardener/kube-client';
import { buildTokenKubeconfig } from './kubeconfig-builder';
import { BindingTarget, IssuedKubeconfig, KubeconfigStrategy } from './kubeconfig-strategy.port';

export const BINDING_NAMESPACE = 'kyma-system';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kcp-kyma-environment-broker' };

export function bindingObjectName(bindingId: string): string {
  return `kyma-binding-${bindingId}`;
}

async function ignoring(codes: number[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (!codes.includes(statusCodeOf(err) ?? 0)) {
      throw err;
    }
  }
}

/**
 * KEB's binding mechanism: a ServiceAccount, ClusterRole and ClusterRoleBinding named
 * kyma-binding-{id} on the runtime, then a TokenRequest. The three objects do not depend on each
 * other at creation time, so they are created concurrently: with a kept-alive connection a bind costs
 * about two round trips. Deleting the ServiceAccount revokes the token at once.
 */
@Injectable()
export class TokenRequestStrategy implements KubeconfigStrategy {
  readonly type = 'token_request' as const;
  readonly revocable = true;

  constructor(
    private readonly access: RuntimeAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(target: BindingTarget, expirationSeconds: number): Promise<IssuedKubeconfig> {
    const { kc, server, caData } = await this.access.connection(target);
    const core = kc.makeApiClient(CoreV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const name = bindingObjectName(target.bindingId);
    const labels = {
      ...MANAGED_BY,
      'kyma-project.io/binding-id': labelValue(target.bindingId),
      'kyma-project.io/instance-id': labelValue(target.instanceId),
    };
    // AlreadyExists is fine: a retried bind finds what an earlier attempt created.
    await allSettled([
      ignoring([409], () =>
        core.createNamespacedServiceAccount({
          namespace: BINDING_NAMESPACE,
          body: { metadata: { name, namespace: BINDING_NAMESPACE, labels } },
        }),
      ),
      ignoring([409], () =>
        rbac.createClusterRole({ body: { metadata: { name, labels }, rules: this.config.bindings.clusterRoleRules } }),
      ),
      ignoring([409], () =>
        rbac.createClusterRoleBinding({
          body: {
            metadata: { name, labels },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
            subjects: [{ kind: 'ServiceAccount', name, namespace: BINDING_NAMESPACE }],
          },
        }),
      ),
    ]);
    const tokenRequest = await core.createNamespacedServiceAccountToken({
      name,
      namespace: BINDING_NAMESPACE,
      body: { metadata: { name, namespace: BINDING_NAMESPACE, labels }, spec: { audiences: [], expirationSeconds } },
    });
    const token = tokenRequest.status?.token;
    const expiresAt = tokenRequest.status?.expirationTimestamp;
    if (!token || !expiresAt) {
      throw new Error('the runtime answered the TokenRequest without a token');
    }
    return {
      kubeconfig: buildTokenKubeconfig({ name: target.runtimeName, server, caData, token }),
      expiresAt: new Date(expiresAt),
    };
  }

  async revoke(target: BindingTarget): Promise<void> {
    const { kc } = await this.access.connection(target);
    const core = kc.makeApiClient(CoreV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const name = bindingObjectName(target.bindingId);
    await allSettled([
      ignoring([404], () => rbac.deleteClusterRoleBinding({ name })),
      ignoring([404], () => rbac.deleteClusterRole({ name })),
      ignoring([404], () => core.deleteNamespacedServiceAccount({ name, namespace: BINDING_NAMESPACE })),
    ]);
  }
}

/**
 * Like Promise.all, but settles only when every call has: a rollback that starts while one create is still
 * in flight would miss the object that create is about to make.
 */
async function allSettled(calls: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(calls);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
}

/** Label values are limited to 63 characters of [A-Za-z0-9._-]. */
function labelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
