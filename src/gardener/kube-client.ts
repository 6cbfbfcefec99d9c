import { Agent, request, RequestOptions } from 'node:https';
import { ApiException, KubeConfig } from '@kubernetes/client-node';

/**
 * A KubeConfig whose HTTPS agent is created once and kept alive. client-node 1.x builds a fresh agent
 * (and so a fresh TLS handshake) for every request; reusing one keeps a bind to ~2 round trips.
 */
export function keepAliveKubeConfig(kubeconfigYaml: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml);
  const internals = kc as unknown as { createAgent: (cluster: unknown, opts: Record<string, unknown>) => Agent };
  const createAgent = internals.createAgent.bind(kc);
  let agent: Agent | undefined;
  internals.createAgent = (cluster, opts) =>
    (agent ??= createAgent(cluster, { ...opts, keepAlive: true, maxSockets: 64 }));
  return kc;
}

export function statusCodeOf(err: unknown): number | undefined {
  if (err instanceof ApiException) {
    return err.code;
  }
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A short, secret-free description of a Kubernetes API failure (the Status message when there is one). */
export function describeKubeError(err: unknown): string {
  if (err instanceof ApiException) {
    let message = '';
    try {
      const body: unknown = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
      message = (body as { message?: string })?.message ?? '';
    } catch {
      message = '';
    }
    return `HTTP ${err.code}${message ? `: ${message}` : ''}`;
  }
  const e = err as { code?: string; message?: string };
  return e?.code && typeof e.code === 'string' ? `${e.code}: ${e.message ?? ''}` : (e?.message ?? String(err));
}

/**
 * A raw JSON request with the kubeconfig's credentials and kept-alive agent, for subresources that
 * client-node has no typed method for (e.g. Gardener's shoots/adminkubeconfig).
 */
export async function requestJson(
  kc: KubeConfig,
  method: string,
  url: string,
  body?: unknown,
  timeoutMs = 15000,
): Promise<{ status: number; text: string }> {
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ...opts,
        method,
        timeout: timeoutMs,
        headers: {
          ...(opts.headers ?? {}),
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${new URL(url).host} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
