import { Inject, Injectable } from '@nestjs/common';
import { KubeConfig } from '@kubernetes/client-node';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { AdminKubeconfig, GardenerClient } from './gardener-client';
import { keepAliveKubeConfig } from './kube-client';

/** Identifies a runtime on the landscape. */
export interface RuntimeRef {
  instanceId: string;
  shootName: string;
}

export interface RuntimeConnection {
  kc: KubeConfig;
  server: string;
  /** base64 PEM, as in kubeconfigs. */
  caData: string;
}

const ADMIN_LIFETIME_SECONDS = 3600;
const REFRESH_BEFORE_MS = 10 * 60 * 1000;

/**
 * Cluster-admin access to a runtime, from Gardener's adminkubeconfig subresource. The credential is
 * cached per runtime and renewed ten minutes before it expires, so a bind does not pay an extra
 * Gardener round trip; the kept-alive agent is reused for the same reason.
 */
@Injectable()
export class RuntimeAccess {
  private readonly cache = new Map<string, { expiresAt: number; connection: Promise<RuntimeConnection> }>();

  constructor(
    private readonly gardener: GardenerClient,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get namespace(): string {
    return `garden-${this.config.gardener.project}`;
  }

  connection(runtime: RuntimeRef): Promise<RuntimeConnection> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(runtime.instanceId);
    if (cached && cached.expiresAt - REFRESH_BEFORE_MS > now) {
      return cached.connection;
    }
    const connection = this.gardener
      .adminKubeconfig(this.namespace, runtime.shootName, ADMIN_LIFETIME_SECONDS)
      .then((admin) => {
        const entry = this.cache.get(runtime.instanceId);
        if (entry) {
          entry.expiresAt = admin.expiresAt.getTime();
        }
        return toConnection(admin.kubeconfig);
      });
    // Until the answer arrives, concurrent binds share this one request.
    this.cache.set(runtime.instanceId, { expiresAt: now + REFRESH_BEFORE_MS + 60_000, connection });
    connection.catch(() => this.cache.delete(runtime.instanceId));
    return connection;
  }

  /** A fresh admin kubeconfig for a binding (never cached: each binding gets its own certificate). */
  adminKubeconfig(runtime: RuntimeRef, expirationSeconds: number): Promise<AdminKubeconfig> {
    return this.gardener.adminKubeconfig(this.namespace, runtime.shootName, expirationSeconds);
  }

  forget(instanceId: string): void {
    this.cache.delete(instanceId);
  }
}

function toConnection(kubeconfigYaml: string): RuntimeConnection {
  const kc = keepAliveKubeConfig(kubeconfigYaml);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server || !cluster.caData) {
    throw new Error('the runtime admin kubeconfig has no server or CA data');
  }
  return { kc, server: cluster.server, caData: cluster.caData };
}
