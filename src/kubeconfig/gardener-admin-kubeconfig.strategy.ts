import { Injectable } from '@nestjs/common';
import { RuntimeAccess } from '../gardener/runtime-access';
import { BindingTarget, IssuedKubeconfig, KubeconfigStrategy } from './kubeconfig-strategy.port';

/**
 * Gardener's shoots/adminkubeconfig: a cluster-admin x509 client certificate, passed through as is.
 * Certificates cannot be revoked before they expire, so revoke does nothing (the API docs say so).
 */
@Injectable()
export class GardenerAdminKubeconfigStrategy implements KubeconfigStrategy {
  readonly type = 'adminkubeconfig' as const;
  readonly revocable = false;

  constructor(private readonly access: RuntimeAccess) {}

  async issue(target: BindingTarget, expirationSeconds: number): Promise<IssuedKubeconfig> {
    const admin = await this.access.adminKubeconfig(target, expirationSeconds);
    return { kubeconfig: admin.kubeconfig, expiresAt: admin.expiresAt };
  }

  async revoke(): Promise<void> {
    // Nothing to do: the certificate stays valid until it expires.
  }
}
