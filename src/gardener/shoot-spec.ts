import type { AppConfig } from '../config/app-config';
import type { InstanceEntity } from '../persistence/instance.entity';
import type { Shoot } from './gardener-client';

const CLOUD_PROFILES: Record<string, string> = {
  aws: 'aws',
  azure: 'az',
  gcp: 'gcp',
  openstack: 'converged-cloud-cp',
  alicloud: 'alicloud',
};

/** Gardener's provider type for a plan's hyperscaler. */
function providerType(provider: string): string {
  return provider === 'sap-converged-cloud' ? 'openstack' : provider || 'aws';
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function oidcConfig(instance: InstanceEntity, config: AppConfig): Record<string, unknown> {
  const given = (instance.parameters.oidc ?? {}) as Record<string, unknown>;
  const d = config.oidc;
  return {
    clientID: given.clientID ?? d.clientID,
    issuerURL: given.issuerURL ?? d.issuerURL,
    groupsClaim: given.groupsClaim ?? d.groupsClaim,
    usernameClaim: given.usernameClaim ?? d.usernameClaim,
    usernamePrefix: given.usernamePrefix ?? d.usernamePrefix,
    signingAlgs: given.signingAlgs ?? d.signingAlgs,
  };
}

function workers(instance: InstanceEntity): unknown[] {
  const p = instance.parameters;
  return [
    {
      name: 'cpu-worker-0',
      machine: { type: typeof p.machineType === 'string' ? p.machineType : 'm6i.large' },
      minimum: num(p.autoScalerMin, 3),
      maximum: num(p.autoScalerMax, 20),
    },
  ];
}

/** The Shoot a runtime is made of (the fields KEB's provisioning sets that matter here). */
export function buildShoot(instance: InstanceEntity, config: AppConfig): Shoot {
  const type = providerType(instance.provider);
  return {
    apiVersion: 'core.gardener.cloud/v1beta1',
    kind: 'Shoot',
    metadata: {
      name: instance.shootName,
      // Annotations, not labels: OSB ids may exceed label value limits (63 chars, restricted alphabet).
      annotations: {
        'kyma-project.io/instance-id': instance.instanceId,
        'kyma-project.io/runtime-id': instance.runtimeId,
        'kyma-project.io/global-account-id': instance.globalAccountId,
        'kyma-project.io/subaccount-id': instance.subaccountId,
        'kyma-project.io/platform-region': instance.platformRegion,
        'kyma-project.io/eu-access': String(instance.euAccess),
      },
    },
    spec: {
      cloudProfileName: CLOUD_PROFILES[type] ?? type,
      region: instance.providerRegion,
      purpose: 'production',
      provider: { type, workers: workers(instance) },
      kubernetes: { version: '1.32', kubeAPIServer: { oidcConfig: oidcConfig(instance, config) } },
      networking: { type: 'calico', nodes: '10.250.0.0/16' },
      maintenance: { autoUpdate: { kubernetesVersion: true, machineImageVersion: true } },
      secretBindingName: `sb-${type}`,
    },
  };
}

/** The part of the spec an update may change. */
export function shootSpecUpdate(instance: InstanceEntity, config: AppConfig): Record<string, unknown> {
  return {
    spec: {
      provider: { workers: workers(instance) },
      kubernetes: { kubeAPIServer: { oidcConfig: oidcConfig(instance, config) } },
    },
  };
}
