import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import type { Landscape, SimulatorClock } from '../../../src/simulator';

/** Real time plus an offset a test can move, so expiry is testable without sleeping. */
export class ManualClock implements SimulatorClock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export const SHOOTS = { group: 'core.gardener.cloud', version: 'v1beta1', plural: 'shoots' } as const;
export const NAMESPACE = 'garden-kyma';

interface KubeconfigDoc {
  'current-context': string;
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  users: Array<{ name: string; user: Record<string, string> }>;
}

export function parseKubeconfig(yaml: string): KubeconfigDoc {
  return load(yaml) as KubeconfigDoc;
}

/** The same kubeconfig with its credentials replaced by a bearer token (what KEB hands out). */
export function withToken(kubeconfig: string, token: string): string {
  const doc = parseKubeconfig(kubeconfig);
  doc.users = doc.users.map((u) => ({ name: u.name, user: { token } }));
  return JSON.stringify(doc);
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: <T = Record<string, unknown>>() => T;
}

/** metav1.Status as the servers send it. */
export interface StatusBody {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  status: string;
  message: string;
  reason: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason: string; message: string; field?: string }>;
  };
  code: number;
}

export interface ShootView {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    generation?: number;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
    finalizers?: string[];
  };
  spec: Record<string, unknown>;
  status: {
    uid?: string;
    technicalID?: string;
    lastOperation: { type: string; state: string; progress: number; description: string };
    advertisedAddresses?: Array<{ name: string; url: string }>;
    conditions?: Array<{ type: string; status: string }>;
    lastErrors?: Array<{ description: string }>;
    observedGeneration?: number;
  };
}

export interface KubeconfigRequestView {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  spec: { expirationSeconds: number };
  status: { kubeconfig: string; expirationTimestamp: string };
}

/** A plain HTTPS request with a kubeconfig's CA and credentials, for checks below client level. */
export function rawRequest(
  kubeconfig: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const doc = parseKubeconfig(kubeconfig);
  const cluster = doc.clusters[0].cluster;
  const user = doc.users[0]?.user ?? {};
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.server}${path}`,
      {
        method,
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        ...(user['client-certificate-data']
          ? {
              cert: Buffer.from(user['client-certificate-data'], 'base64'),
              key: Buffer.from(user['client-key-data'], 'base64'),
            }
          : {}),
        headers: {
          accept: 'application/json',
          ...(user.token ? { authorization: `Bearer ${user.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Runs a client-node call that must fail; returns the HTTP code and the parsed Status body. */
export async function apiError(call: () => Promise<unknown>): Promise<{ code: number; body: StatusBody | undefined }> {
  try {
    await call();
  } catch (err) {
    if (err instanceof ApiException) {
      const raw: unknown = err.body;
      const body = (typeof raw === 'string' ? JSON.parse(raw) : raw) as StatusBody | undefined;
      return { code: err.code, body };
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

export function gardenerApi(landscape: Landscape): CustomObjectsApi {
  const kc = new KubeConfig();
  kc.loadFromString(landscape.gardenerKubeconfig);
  return kc.makeApiClient(CustomObjectsApi);
}

export function shootManifest(
  name: string,
  extra: { annotations?: Record<string, string>; spec?: Record<string, unknown> } = {},
) {
  return {
    apiVersion: 'core.gardener.cloud/v1beta1',
    kind: 'Shoot',
    metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      cloudProfileName: 'aws',
      region: 'eu-central-1',
      provider: { type: 'aws', workers: [{ name: 'cpu-worker-0', minimum: 3, maximum: 20 }] },
      kubernetes: { version: '1.32' },
      ...extra.spec,
    },
  };
}

export async function getShoot(landscape: Landscape, name: string): Promise<ShootView> {
  return (await gardenerApi(landscape).getNamespacedCustomObject({
    ...SHOOTS,
    namespace: NAMESPACE,
    name,
  })) as ShootView;
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('condition not reached in time');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForOperation(
  landscape: Landscape,
  name: string,
  state: string,
  type = 'Create',
): Promise<ShootView> {
  return waitFor(async () => {
    const shoot = await getShoot(landscape, name);
    const op = shoot.status.lastOperation;
    return op.type === type && op.state === state ? shoot : undefined;
  });
}

export async function requestKubeconfig(
  landscape: Landscape,
  name: string,
  expirationSeconds?: number,
  subresource = 'adminkubeconfig',
): Promise<RawResponse> {
  return rawRequest(
    landscape.gardenerKubeconfig,
    'POST',
    `/apis/core.gardener.cloud/v1beta1/namespaces/${NAMESPACE}/shoots/${name}/${subresource}`,
    {
      apiVersion: 'authentication.gardener.cloud/v1alpha1',
      kind: 'AdminKubeconfigRequest',
      spec: expirationSeconds === undefined ? {} : { expirationSeconds },
    },
  );
}

/** Creates a shoot, waits until it is ready and returns a cluster-admin kubeconfig for its runtime. */
export async function readyRuntime(
  landscape: Landscape,
  name: string,
  extra: Parameters<typeof shootManifest>[1] = {},
): Promise<{ kubeconfig: string; url: string }> {
  await gardenerApi(landscape).createNamespacedCustomObject({
    ...SHOOTS,
    namespace: NAMESPACE,
    body: shootManifest(name, extra),
  });
  const shoot = await waitForOperation(landscape, name, 'Succeeded');
  const res = await requestKubeconfig(landscape, name, 3600);
  if (res.status !== 201) {
    throw new Error(`adminkubeconfig answered ${res.status}: ${res.text}`);
  }
  return {
    kubeconfig: Buffer.from(res.json<KubeconfigRequestView>().status.kubeconfig, 'base64').toString('utf8'),
    url: shoot.status.advertisedAddresses?.[0].url ?? '',
  };
}
