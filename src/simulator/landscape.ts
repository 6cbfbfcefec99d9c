import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimulatorClock, systemClock } from './clock';
import { FaultConfig, FaultController, Faults } from './faults';
import { GardenerApiServer } from './gardener-apiserver';
import { asString, dig } from './json';
import { generateRuntimePki, KubeApiServer, RuntimePki } from './kube-apiserver';
import { oidcConfigOf, OidcKeySets } from './oidc';
import type { RuntimeHandle, RuntimeProvider } from './shoot-lifecycle';
import type { KubeObject } from './store';

export interface LandscapeOptions {
  /** When set, the Gardener kubeconfig is written to `<dataDir>/gardener-kubeconfig.yaml` (mode 0600). */
  dataDir?: string;
  /** Time a shoot spends in Create/Processing. Default 3000. */
  shootCreateDelayMs?: number;
  /** Time a shoot spends in Delete/Processing before it disappears. Default 2000. */
  shootDeleteDelayMs?: number;
  /** Time a Reconcile (after a spec change) takes. Default: shootCreateDelayMs. */
  shootReconcileDelayMs?: number;
  /** Judges token and certificate validity and stamps timestamps. Default: real time. */
  clock?: SimulatorClock;
  /** Faults active from the start. */
  faults?: FaultConfig | FaultConfig[];
  /** Loopback address all servers listen on. Default 127.0.0.1. */
  host?: string;
  /** Port of the Gardener API server. Default: a free one. */
  gardenerPort?: number;
  /** What the written kubeconfig authenticates with. Default `token`; both are always accepted. */
  gardenerCredentials?: 'token' | 'client-certificate';
  /** Leeway for service-account token exp/nbf checks (kube-apiserver uses 60 s). Default 0. */
  tokenLeewaySeconds?: number;
  /** Cap for adminkubeconfig lifetimes (gardener-apiserver's default is 24 h). */
  maxKubeconfigExpirationSeconds?: number;
}

export interface RuntimeInfo {
  namespace: string;
  shootName: string;
  url: string;
}

export interface Landscape {
  gardenerUrl: string;
  /** YAML for the broker: the Gardener cluster with its CA data, and the broker's credentials. */
  gardenerKubeconfig: string;
  gardenerKubeconfigPath?: string;
  /** The bearer token the broker's identity (`kyma-broker`) authenticates with, e.g. for curl. */
  gardenerToken: string;
  faults: FaultController;
  /** The shoot API servers currently running. */
  runtimes(): RuntimeInfo[];
  stop(): Promise<void>;
}

const DEFAULT_MAX_TOKEN_EXPIRATION_SECONDS = 30 * 24 * 3600;

/** Go's time.ParseDuration for the units Gardener specs use (`720h`, `24h0m0s`, `3600s`). */
export function parseGoDuration(value: string | undefined): number | undefined {
  if (!value) {
    return undefined;
  }
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  let rest = value.trim();
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m) {
      return undefined;
    }
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.floor(total);
}

function shootKey(shoot: KubeObject): string {
  return `${shoot.metadata.namespace ?? ''}/${shoot.metadata.name}`;
}

/**
 * Starts a simulated landscape: one Gardener API server now, and one kube-apiserver per shoot once
 * it is ready. Everything is reached over HTTPS with ordinary kubeconfigs, like a real landscape.
 */
export async function startLandscape(opts: LandscapeOptions = {}): Promise<Landscape> {
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? systemClock;
  const faults = new Faults(opts.faults);
  const oidcKeySets = new OidcKeySets();
  const prepared = new Map<string, Promise<RuntimePki>>();
  const servers = new Map<string, KubeApiServer>();

  const runtimes: RuntimeProvider = {
    prepare(shoot) {
      const pki = generateRuntimePki(shootKey(shoot));
      pki.catch(() => prepared.delete(shootKey(shoot)));
      prepared.set(shootKey(shoot), pki);
    },
    async start(shoot): Promise<RuntimeHandle> {
      const key = shootKey(shoot);
      const pki = await (prepared.get(key) ?? generateRuntimePki(key));
      prepared.delete(key);
      const maxToken = parseGoDuration(
        asString(dig(shoot, 'spec', 'kubernetes', 'kubeAPIServer', 'serviceAccountConfig', 'maxTokenExpiration')),
      );
      const server = await KubeApiServer.start({
        name: key,
        host,
        clock,
        faults,
        oidcKeySets,
        oidc: oidcConfigOf(shoot),
        kubernetesVersion: asString(dig(shoot, 'spec', 'kubernetes', 'version')),
        maxTokenExpirationSeconds: maxToken ?? DEFAULT_MAX_TOKEN_EXPIRATION_SECONDS,
        tokenLeewaySeconds: opts.tokenLeewaySeconds ?? 0,
        pki,
      });
      servers.set(key, server);
      return {
        url: server.url,
        reconcile: (current) => server.setOidc(oidcConfigOf(current)),
        stop: async () => {
          servers.delete(key);
          await server.stop();
        },
      };
    },
    discard(shoot) {
      prepared.delete(shootKey(shoot));
    },
  };

  const createDelayMs = opts.shootCreateDelayMs ?? 3000;
  const gardener = await GardenerApiServer.start({
    host,
    port: opts.gardenerPort,
    clock,
    faults,
    runtimes,
    shootAccess: (namespace, name) => {
      const server = servers.get(`${namespace}/${name}`);
      return server ? { clusterCaPem: server.clusterCaPem, clientCa: server.pki.clientCa } : undefined;
    },
    createDelayMs,
    deleteDelayMs: opts.shootDeleteDelayMs ?? 2000,
    reconcileDelayMs: opts.shootReconcileDelayMs ?? createDelayMs,
    maxKubeconfigExpirationSeconds: opts.maxKubeconfigExpirationSeconds,
  });

  const gardenerKubeconfig = gardener.kubeconfig(opts.gardenerCredentials ?? 'token');
  let gardenerKubeconfigPath: string | undefined;
  if (opts.dataDir) {
    try {
      await mkdir(opts.dataDir, { recursive: true });
      gardenerKubeconfigPath = join(opts.dataDir, 'gardener-kubeconfig.yaml');
      await writeFile(gardenerKubeconfigPath, gardenerKubeconfig, { mode: 0o600 });
    } catch (err) {
      await gardener.stop();
      throw err;
    }
  }

  return {
    gardenerUrl: gardener.url,
    gardenerKubeconfig,
    gardenerKubeconfigPath,
    gardenerToken: gardener.token,
    faults,
    runtimes: () => gardener.lifecycle.runtimes(),
    stop: async () => {
      prepared.clear();
      await gardener.stop();
    },
  };
}
