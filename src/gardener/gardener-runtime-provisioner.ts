import { Inject, Injectable } from '@nestjs/common';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { InstanceEntity } from '../persistence/instance.entity';
import type { RuntimeProvisioner, RuntimeStatus } from '../provisioning/runtime-provisioner.port';
import { GardenerClient } from './gardener-client';
import { statusCodeOf } from './kube-client';
import { RuntimeAccess } from './runtime-access';
import { buildShoot, shootSpecUpdate } from './shoot-spec';

const ADMINS_BINDING = 'kyma-administrators';

/** RuntimeProvisioner over Gardener: a runtime is a shoot in the broker's project namespace. */
@Injectable()
export class GardenerRuntimeProvisioner implements RuntimeProvisioner {
  constructor(
    private readonly gardener: GardenerClient,
    private readonly access: RuntimeAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async createRuntime(instance: InstanceEntity): Promise<void> {
    await this.gardener.createShoot(this.access.namespace, buildShoot(instance, this.config));
  }

  async runtimeStatus(instance: InstanceEntity): Promise<RuntimeStatus> {
    const shoot = await this.gardener.getShoot(this.access.namespace, instance.shootName);
    if (!shoot) {
      return { state: 'absent', description: 'shoot not found' };
    }
    const op = shoot.status?.lastOperation;
    const description = op ? `${op.type} ${op.state}${op.description ? `: ${op.description}` : ''}` : 'pending';
    if (shoot.metadata.deletionTimestamp || op?.type === 'Delete') {
      return { state: op?.state === 'Failed' ? 'failed' : 'processing', description };
    }
    if (op?.state === 'Failed') {
      return { state: 'failed', description };
    }
    if (op?.state === 'Succeeded') {
      const external = shoot.status?.advertisedAddresses?.find((a) => a.name === 'external');
      if (!external) {
        return { state: 'processing', description: 'waiting for the API server address' };
      }
      return { state: 'succeeded', description, apiServerUrl: external.url };
    }
    return { state: 'processing', description };
  }

  /** Grants cluster-admin to the instance's administrators (OIDC user names) on the new runtime. */
  async configureRuntime(instance: InstanceEntity): Promise<void> {
    const administrators = administratorsOf(instance);
    if (administrators.length === 0) {
      return;
    }
    const { kc } = await this.access.connection(instance);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const body = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: ADMINS_BINDING, labels: { 'app.kubernetes.io/managed-by': 'kyma-broker' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: administrators.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name })),
    };
    try {
      await rbac.createClusterRoleBinding({ body });
    } catch (err) {
      if (statusCodeOf(err) !== 409) {
        throw err;
      }
      await rbac.replaceClusterRoleBinding({ name: ADMINS_BINDING, body });
    }
  }

  async updateRuntime(instance: InstanceEntity): Promise<void> {
    await this.gardener.mergePatchShoot(
      this.access.namespace,
      instance.shootName,
      shootSpecUpdate(instance, this.config),
    );
    await this.configureRuntime(instance);
  }

  async deleteRuntime(instance: InstanceEntity): Promise<void> {
    this.access.forget(instance.instanceId);
    await this.gardener.deleteShoot(this.access.namespace, instance.shootName);
  }
}

/** KEB: `administrators` when given, else the provisioning user. */
function administratorsOf(instance: InstanceEntity): string[] {
  const given = instance.parameters.administrators;
  if (Array.isArray(given) && given.length > 0) {
    return given.filter((a): a is string => typeof a === 'string' && a.length > 0);
  }
  return instance.createdBy ? [instance.createdBy] : [];
}
