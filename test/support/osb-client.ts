import { devToken } from './broker';
export const KYMA_SERVICE_ID = '47c9dcbf-ff30-448e-ab36-d3bad66ba281';
export const AWS_PLAN_ID = '361c511f-f939-4621-b228-d0fb79a1fe15';

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small OSB client for tests: real HTTP, a bearer token, the version header. */
export class OsbClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly version = '2.17',
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'x-broker-api-version': this.version,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  provision(
    instanceId: string,
    opts: { region?: string; prefix?: string; planId?: string; context?: object; parameters?: object } = {},
  ) {
    return this.request(
      'PUT',
      `/oauth${opts.prefix ?? ''}/v2/service_instances/${instanceId}?accepts_incomplete=true`,
      {
        service_id: KYMA_SERVICE_ID,
        plan_id: opts.planId ?? AWS_PLAN_ID,
        context: opts.context ?? { globalaccount_id: 'ga-e2e', subaccount_id: 'sa-e2e', user_id: 'e2e@example.com' },
        parameters: opts.parameters ?? { name: `rt-${instanceId.slice(0, 20)}`, region: opts.region ?? 'eu-central-1' },
      },
    );
  }

  lastOperation(instanceId: string, prefix = '') {
    return this.request('GET', `/oauth${prefix}/v2/service_instances/${instanceId}/last_operation`);
  }

  /** Polls last_operation until it is final (or 410), returning the final answer. */
  async waitForOperation(instanceId: string, prefix = '', timeoutMs = 30000): Promise<HttpAnswer> {
    const deadline = Date.now() + timeoutMs;
    let last: HttpAnswer | undefined;
    while (Date.now() < deadline) {
      last = await this.lastOperation(instanceId, prefix);
      if (last.status === 410 || (last.status === 200 && last.body.state !== 'in progress')) {
        return last;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`operation of ${instanceId} not final in time: ${JSON.stringify(last?.body)}`);
  }

  async provisionReady(instanceId: string, opts: Parameters<OsbClient['provision']>[1] = {}): Promise<void> {
    const res = await this.provision(instanceId, opts);
    if (res.status !== 202) {
      throw new Error(`provision ${instanceId}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const done = await this.waitForOperation(instanceId, opts.prefix ?? '');
    if (done.body?.state !== 'succeeded') {
      throw new Error(`provision ${instanceId} ended ${JSON.stringify(done.body)}`);
    }
  }

  deprovision(instanceId: string, prefix = '') {
    return this.request(
      'DELETE',
      `/oauth${prefix}/v2/service_instances/${instanceId}?accepts_incomplete=true&service_id=${KYMA_SERVICE_ID}&plan_id=${AWS_PLAN_ID}`,
    );
  }

  bind(instanceId: string, bindingId: string, parameters?: unknown, extra: Record<string, unknown> = {}) {
    return this.request(
      'PUT',
      `/oauth/v2/service_instances/${instanceId}/service_bindings/${bindingId}?accepts_incomplete=false`,
      {
        service_id: KYMA_SERVICE_ID,
        plan_id: AWS_PLAN_ID,
        ...(parameters !== undefined ? { parameters } : {}),
        ...extra,
      },
    );
  }

  getBinding(instanceId: string, bindingId: string) {
    return this.request('GET', `/oauth/v2/service_instances/${instanceId}/service_bindings/${bindingId}`);
  }

  unbind(instanceId: string, bindingId: string) {
    return this.request(
      'DELETE',
      `/oauth/v2/service_instances/${instanceId}/service_bindings/${bindingId}?service_id=${KYMA_SERVICE_ID}&plan_id=${AWS_PLAN_ID}`,
    );
  }
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** An OSB client for a started broker, with a token of the documented dev client. */
export async function osbClientFor(broker: { url: string }): Promise<OsbClient> {
  return new OsbClient(broker.url, await devToken(broker.url));
}
