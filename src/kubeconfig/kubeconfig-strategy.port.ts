import type { BindingType } from '../persistence/binding.entity';

/** The runtime a credential is for. */
export interface BindingTarget {
  instanceId: string;
  shootName: string;
  /** The runtime's `name` parameter: cluster, context and user of the kubeconfig are named after it. */
  runtimeName: string;
  bindingId: string;
}

export interface IssuedKubeconfig {
  kubeconfig: string;
  /** The credential's real expiry (the token's or certificate's), not now + requested seconds. */
  expiresAt: Date;
}

/** How a binding's kubeconfig is made and revoked. One adapter per BindingType. */
export interface KubeconfigStrategy {
  readonly type: BindingType;
  issue(target: BindingTarget, expirationSeconds: number): Promise<IssuedKubeconfig>;
  /** Makes the credential unusable, where the mechanism allows (must tolerate objects already gone). */
  revoke(target: BindingTarget): Promise<void>;
  /** Whether revoke really invalidates the credential before it expires. */
  readonly revocable: boolean;
}

export const KUBECONFIG_STRATEGIES = Symbol('KUBECONFIG_STRATEGIES');
