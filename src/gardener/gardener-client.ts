import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { GARDENER_KUBECONFIG } from './gardener.tokens';
import { keepAliveKubeConfig, requestJson, statusCodeOf } from './kube-client';

export interface Shoot {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: Record<string, unknown>;
  status?: {
    lastOperation?: { type: string; state: string; progress?: number; description?: string };
    advertisedAddresses?: Array<{ name: string; url: string }>;
    technicalID?: string;
    conditions?: Array<{ type: string; status: string }>;
  };
}

export interface AdminKubeconfig {
  kubeconfig: string;
  expiresAt: Date;
}

const GROUP = 'core.gardener.cloud';
const VERSION = 'v1beta1';

/** Gardener's API (shoots and the adminkubeconfig subresource) through @kubernetes/client-node. */
@Injectable()
export class GardenerClient implements OnApplicationShutdown {
  private readonly logger = new Logger(GardenerClient.name);
  private readonly kc: KubeConfig;
  private readonly api: CustomObjectsApi;

  constructor(@Inject(GARDENER_KUBECONFIG) kubeconfigYaml: string) {
    this.kc = keepAliveKubeConfig(kubeconfigYaml);
    this.api = this.kc.makeApiClient(CustomObjectsApi);
  }

  onApplicationShutdown(): void {
    // Agents are unref'd by node once idle; nothing to close explicitly.
  }

  async createShoot(namespace: string, shoot: Shoot): Promise<void> {
    try {
      await this.api.createNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: 'shoots',
        body: shoot,
      });
    } catch (err) {
      // A retried step may find the shoot it created before a crash.
      if (statusCodeOf(err) !== 409) {
        throw err;
      }
      this.logger.debug({ namespace, shoot: shoot.metadata.name }, 'shoot already exists');
    }
  }

  async getShoot(namespace: string, name: string): Promise<Shoot | undefined> {
    try {
      return (await this.api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: 'shoots',
        name,
      })) as Shoot;
    } catch (err) {
      if (statusCodeOf(err) === 404) {
        return undefined;
      }
      throw err;
    }
  }

  async mergePatchShoot(namespace: string, name: string, patch: Record<string, unknown>): Promise<void> {
    await this.api.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, namespace, plural: 'shoots', name, body: patch },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  /** Gardener refuses deletion without the confirmation annotation, so it is set first. */
  async deleteShoot(namespace: string, name: string): Promise<void> {
    try {
      await this.mergePatchShoot(namespace, name, {
        metadata: { annotations: { 'confirmation.gardener.cloud/deletion': 'true' } },
      });
      await this.api.deleteNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: 'shoots',
        name,
      });
    } catch (err) {
      if (statusCodeOf(err) !== 404) {
        throw err;
      }
    }
  }

  /** POST shoots/{name}/adminkubeconfig: a short-lived cluster-admin kubeconfig (x509 client certificate). */
  async adminKubeconfig(namespace: string, name: string, expirationSeconds: number): Promise<AdminKubeconfig> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) {
      throw new Error('the Gardener kubeconfig has no current cluster');
    }
    const url = `${cluster.server}/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(namespace)}/shoots/${encodeURIComponent(name)}/adminkubeconfig`;
    const { status, text } = await requestJson(this.kc, 'POST', url, {
      apiVersion: 'authentication.gardener.cloud/v1alpha1',
      kind: 'AdminKubeconfigRequest',
      spec: { expirationSeconds },
    });
    if (status !== 200 && status !== 201) {
      const error = new Error(`adminkubeconfig for ${namespace}/${name} failed: HTTP ${status}: ${safeMessage(text)}`);
      (error as Error & { code: number }).code = status;
      throw error;
    }
    const body = JSON.parse(text) as { status: { kubeconfig: string; expirationTimestamp: string } };
    return {
      kubeconfig: Buffer.from(body.status.kubeconfig, 'base64').toString('utf8'),
      expiresAt: new Date(body.status.expirationTimestamp),
    };
  }
}

function safeMessage(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? 'unknown error';
  } catch {
    return 'unknown error';
  }
}
