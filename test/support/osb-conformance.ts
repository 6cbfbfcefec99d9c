import { randomUUID } from 'node:crypto';
import { HttpAnswer, OsbClient } from './osb-client';

/**
 * An Open Service Broker API v2.17 conformance walker: it drives a broker through the spec's flows
 * (catalog, provisioning and polling, binding, fetching, unbinding, deprovisioning) the way a platform
 * does, and checks every status code, required header and body field the spec prescribes for them.
 * Reusable against any broker reachable over HTTP with an OsbClient.
 *
 * Each check is recorded with the spec rule it enforces; `violations` lists those that failed, so a
 * test can assert `expect(report.violations).toEqual([])` and see every broken rule at once.
 */

export interface ConformanceCheck {
  flow: string;
  rule: string;
  ok: boolean;
  detail?: string;
}

export interface ConformanceReport {
  checks: ConformanceCheck[];
  violations: ConformanceCheck[];
  /** Ids of what the walk created (all removed again by the walk). */
  instanceId: string;
  bindingId: string;
}

export interface ConformanceOptions {
  /** Where the OSB routes live, e.g. `/oauth` (then `/oauth/v2/catalog`). */
  prefix: string;
  /** Provisioning context and parameters for the plan under test. */
  context: Record<string, unknown>;
  parameters: Record<string, unknown>;
  bindParameters?: Record<string, unknown>;
  /** Provisioning parameters that make a different instance (for the 409 checks). */
  conflictingParameters: Record<string, unknown>;
  /** Bind parameters that make a different binding (for the 409 check); skipped when not given. */
  conflictingBindParameters?: Record<string, unknown>;
  /** Plan to use; default: the first bindable plan of the first bindable service. */
  planId?: string;
  /** Upper bound for each asynchronous operation. */
  operationTimeoutMs?: number;
}

const CAMEL_WORD = /^[A-Z][A-Za-z0-9]*$/;
const LAST_OPERATION_STATES = ['in progress', 'succeeded', 'failed'];
/** OSB 2.17 binding metadata: `yyyy-mm-ddThh:mm:ss.sZ` (ISO 8601, fractional seconds, UTC). */
const OSB_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-.]+)?(?:\+[0-9A-Za-z-.]+)?$/;

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * The spec's rules for an error answer (§Service Broker Errors): a JSON object; `error`, when present,
 * a non-empty single CamelCase word; `description`, when present, a non-empty string; `instance_usable`
 * and `update_repeatable` only where the spec allows them. Returns the broken rules (empty when fine).
 */
export function osbErrorProblems(
  res: HttpAnswer,
  opts: { allowInstanceUsable?: boolean; allowUpdateRepeatable?: boolean; requireDescription?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const type = res.headers.get('content-type') ?? '';
  if (!/^application\/json\b/.test(type)) {
    problems.push(`Content-Type is "${type}", not application/json`);
  }
  if (!isObject(res.body)) {
    problems.push(`body is not a JSON object: ${JSON.stringify(res.body)?.slice(0, 200)}`);
    return problems;
  }
  const body = res.body;
  if ('error' in body && !(nonEmptyString(body.error) && CAMEL_WORD.test(body.error))) {
    problems.push(`"error" is not a single CamelCase word: ${JSON.stringify(body.error)}`);
  }
  if ('description' in body && !nonEmptyString(body.description)) {
    problems.push(`"description" is present but not a non-empty string: ${JSON.stringify(body.description)}`);
  }
  if (opts.requireDescription !== false && res.status !== 410 && !nonEmptyString(body.description)) {
    problems.push('no "description" telling the user what went wrong');
  }
  if ('instance_usable' in body && !opts.allowInstanceUsable) {
    problems.push('"instance_usable" is only allowed for failed updates and deprovisions');
  }
  if ('update_repeatable' in body && !opts.allowUpdateRepeatable) {
    problems.push('"update_repeatable" is only allowed for failed updates');
  }
  return problems;
}

/** Asserts (for jest) that an answer has the given status and is a well-formed OSB error. */
export function expectOsbError(res: HttpAnswer, status: number | number[]): void {
  const statuses = Array.isArray(status) ? status : [status];
  const problems = osbErrorProblems(res);
  expect({
    status: res.status,
    statusAllowed: statuses.includes(res.status),
    problems,
    body: res.body,
  }).toEqual({ status: res.status, statusAllowed: true, problems: [], body: res.body });
}

/** Walks the OSB flows against a running broker. Never throws for a broker fault: it records it. */
export class OsbConformanceWalker {
  private readonly checks: ConformanceCheck[] = [];
  private flow = '';

  constructor(
    private readonly osb: OsbClient,
    private readonly opts: ConformanceOptions,
  ) {}

  private check(rule: string, ok: boolean, detail?: unknown): boolean {
    this.checks.push({
      flow: this.flow,
      rule,
      ok,
      ...(ok || detail === undefined ? {} : { detail: typeof detail === 'string' ? detail : JSON.stringify(detail) }),
    });
    return ok;
  }

  private status(rule: string, res: HttpAnswer, expected: number | number[]): boolean {
    const allowed = Array.isArray(expected) ? expected : [expected];
    return this.check(`${rule}: ${allowed.join(' or ')}`, allowed.includes(res.status), {
      status: res.status,
      body: res.body,
    });
  }

  /** A repeated asynchronous request while the first still runs answers 202 with the same operation. */
  private sameOperationWhileInProgress(
    method: string,
    finished: string,
    again: HttpAnswer,
    operation: unknown,
    settled: number[],
  ): void {
    if (again.status === 202) {
      this.check(
        `repeated ${method} while in progress: the same operation`,
        again.body?.operation === operation,
        again.body,
      );
    } else {
      this.status(`repeated ${method} while in progress (or once ${finished})`, again, settled);
    }
  }

  private errorShape(rule: string, res: HttpAnswer, extra: Parameters<typeof osbErrorProblems>[1] = {}): void {
    const problems = osbErrorProblems(res, extra);
    this.check(`${rule}: well-formed error body`, problems.length === 0, problems.join('; '));
  }

  private jsonBody(rule: string, res: HttpAnswer): void {
    const type = res.headers.get('content-type') ?? '';
    this.check(`${rule}: Content-Type application/json`, /^application\/json\b/.test(type), type);
    this.check(`${rule}: body is a JSON object`, isObject(res.body), res.body);
  }

  private path(suffix: string): string {
    return `${this.opts.prefix}/v2${suffix}`;
  }

  private req(method: string, suffix: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.osb.request(method, this.path(suffix), body, headers);
  }

  private async rawWithHeaders(method: string, suffix: string, headers: Record<string, string>): Promise<HttpAnswer> {
    const res = await fetch(`${this.osb.baseUrl}${this.path(suffix)}`, { method, headers });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers };
  }

  async run(): Promise<ConformanceReport> {
    const { serviceId, planId, service } = await this.catalog();
    const instanceId = randomUUID();
    const bindingId = randomUUID();
    await this.headers();
    if (!serviceId || !planId) {
      return this.report(instanceId, bindingId);
    }
    const provisioned = await this.provision(instanceId, serviceId, planId);
    if (provisioned) {
      if (service?.instances_retrievable === true) {
        await this.fetchInstance(instanceId, serviceId, planId);
      }
      await this.bind(instanceId, bindingId, serviceId, planId, service);
      await this.unbind(instanceId, bindingId, serviceId, planId, service);
    }
    await this.deprovision(instanceId, serviceId, planId);
    return this.report(instanceId, bindingId);
  }

  private report(instanceId: string, bindingId: string): ConformanceReport {
    return { checks: this.checks, violations: this.checks.filter((c) => !c.ok), instanceId, bindingId };
  }

  /** §Catalog Management: services, plans and their required fields. */
  private async catalog(): Promise<{ serviceId?: string; planId?: string; service?: Record<string, any> }> {
    this.flow = 'catalog';
    const res = await this.req('GET', '/catalog');
    this.status('GET /v2/catalog', res, 200);
    this.jsonBody('GET /v2/catalog', res);
    const services: unknown = res.body?.services;
    if (!this.check('"services" is an array', Array.isArray(services), res.body)) {
      return {};
    }
    const serviceIds = new Set<string>();
    const planIds = new Set<string>();
    let chosen: { serviceId?: string; planId?: string; service?: Record<string, any> } = {};
    for (const s of services as unknown[]) {
      if (!this.check('service is an object', isObject(s), s) || !isObject(s)) {
        continue;
      }
      const name = String(s.name);
      this.check(`service ${name}: "name" non-empty`, nonEmptyString(s.name), s.name);
      this.check(`service ${name}: "id" non-empty and unique`, nonEmptyString(s.id) && !serviceIds.has(s.id), s.id);
      serviceIds.add(s.id);
      this.check(`service ${name}: "description" non-empty`, nonEmptyString(s.description), s.description);
      this.check(`service ${name}: "bindable" boolean`, typeof s.bindable === 'boolean', s.bindable);
      for (const flag of [
        'instances_retrievable',
        'bindings_retrievable',
        'allow_context_updates',
        'plan_updateable',
      ]) {
        if (flag in s) {
          this.check(`service ${name}: "${flag}" boolean`, typeof s[flag] === 'boolean', s[flag]);
        }
      }
      if ('requires' in s) {
        const allowed = ['syslog_drain', 'route_forwarding', 'volume_mount'];
        this.check(
          `service ${name}: "requires" only lists known permissions`,
          Array.isArray(s.requires) && s.requires.every((r: unknown) => allowed.includes(r as string)),
          s.requires,
        );
      }
      if (!this.check(`service ${name}: at least one plan`, Array.isArray(s.plans) && s.plans.length > 0, s.plans)) {
        continue;
      }
      const planNames = new Set<string>();
      for (const p of s.plans as Array<Record<string, any>>) {
        const pname = `${name}/${String(p?.name)}`;
        this.check(`plan ${pname}: "id" non-empty and unique`, nonEmptyString(p.id) && !planIds.has(p.id), p.id);
        planIds.add(p.id);
        this.check(
          `plan ${pname}: "name" non-empty and unique in the service`,
          nonEmptyString(p.name) && !planNames.has(p.name),
          p.name,
        );
        planNames.add(p.name);
        this.check(`plan ${pname}: "description" non-empty`, nonEmptyString(p.description), p.description);
        for (const flag of ['free', 'bindable', 'plan_updateable', 'binding_rotatable']) {
          if (flag in p) {
            this.check(`plan ${pname}: "${flag}" boolean`, typeof p[flag] === 'boolean', p[flag]);
          }
        }
        if ('maximum_polling_duration' in p) {
          this.check(
            `plan ${pname}: "maximum_polling_duration" integer`,
            Number.isInteger(p.maximum_polling_duration),
            p.maximum_polling_duration,
          );
        }
        if ('maintenance_info' in p) {
          this.check(
            `plan ${pname}: "maintenance_info.version" semver 2.0`,
            SEMVER.test(String(p.maintenance_info?.version)),
            p.maintenance_info,
          );
        }
        for (const [kind, action] of [
          ['service_instance', 'create'],
          ['service_instance', 'update'],
          ['service_binding', 'create'],
        ]) {
          const schema = p.schemas?.[kind]?.[action]?.parameters;
          if (schema !== undefined) {
            this.check(
              `plan ${pname}: schemas.${kind}.${action}.parameters has "$schema"`,
              isObject(schema) && nonEmptyString(schema.$schema),
              Object.keys(schema ?? {}),
            );
            this.check(
              `plan ${pname}: schemas.${kind}.${action} at most 64 kB`,
              JSON.stringify(schema).length <= 64 * 1024,
            );
          }
        }
        const bindable = typeof p.bindable === 'boolean' ? p.bindable : s.bindable;
        const wanted = this.opts.planId ? p.id === this.opts.planId : bindable && !chosen.planId;
        if (wanted) {
          chosen = { serviceId: s.id, planId: p.id, service: s };
        }
      }
    }
    this.check('the plan under test is in the catalog', chosen.planId !== undefined, this.opts.planId);
    return chosen;
  }

  /** §Headers: version header required (400 or 412), unsupported version 412, request identity echoed. */
  private async headers(): Promise<void> {
    this.flow = 'headers';
    const auth = { authorization: `Bearer ${this.osb.token}` };
    const missing = await this.rawWithHeaders('GET', '/catalog', auth);
    this.status('no X-Broker-API-Version', missing, [400, 412]);
    this.errorShape('no X-Broker-API-Version', missing);
    const old = await this.rawWithHeaders('GET', '/catalog', { ...auth, 'x-broker-api-version': '1.13' });
    this.status('unsupported X-Broker-API-Version 1.13', old, 412);
    this.errorShape('unsupported X-Broker-API-Version', old);
    const unauthenticated = await this.rawWithHeaders('GET', '/catalog', { 'x-broker-api-version': '2.17' });
    this.status('no credentials', unauthenticated, 401);
    const identity = randomUUID();
    const echoed = await this.req('GET', '/catalog', undefined, { 'x-broker-api-request-identity': identity });
    this.check(
      'X-Broker-API-Request-Identity echoed (SHOULD)',
      echoed.headers.get('x-broker-api-request-identity') === identity,
      echoed.headers.get('x-broker-api-request-identity'),
    );
    const withIdentity = await this.req('GET', '/catalog', undefined, {
      'x-broker-api-originating-identity': `kubernetes ${Buffer.from(JSON.stringify({ username: 'u', uid: '1', groups: [], extra: {} })).toString('base64')}`,
    });
    this.status('X-Broker-API-Originating-Identity accepted', withIdentity, 200);
  }

  /** Polls last_operation until final: every answer 200 with a valid state (or 410 for deletes). */
  private async poll(
    instanceId: string,
    operation: string | undefined,
    query: string,
    forDelete: boolean,
  ): Promise<HttpAnswer | undefined> {
    const deadline = Date.now() + (this.opts.operationTimeoutMs ?? 30000);
    const op = operation ? `&operation=${encodeURIComponent(operation)}` : '';
    let last: HttpAnswer | undefined;
    let polls = 0;
    while (Date.now() < deadline) {
      last = await this.req('GET', `/service_instances/${instanceId}/last_operation?${query}${op}`);
      polls++;
      if (forDelete && last.status === 410) {
        this.check('last_operation 410 (gone) only ends a delete', true);
        return last;
      }
      if (!this.status('last_operation while polling', last, 200)) {
        return last;
      }
      const state: unknown = last.body?.state;
      this.check(
        'last_operation "state" is one of the three states',
        LAST_OPERATION_STATES.includes(state as string),
        state,
      );
      if ('description' in (last.body ?? {})) {
        this.check(
          'last_operation "description" non-empty when present',
          nonEmptyString(last.body.description),
          last.body,
        );
      }
      for (const key of ['instance_usable', 'update_repeatable']) {
        if (key in (last.body ?? {})) {
          this.check(`last_operation "${key}" boolean`, typeof last.body[key] === 'boolean', last.body[key]);
        }
      }
      const retryAfter = last.headers.get('retry-after');
      if (retryAfter !== null) {
        this.check(
          'Retry-After is seconds or an HTTP date',
          /^\d+$/.test(retryAfter) || !Number.isNaN(Date.parse(retryAfter)),
          retryAfter,
        );
      }
      if (state !== 'in progress') {
        return last;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    this.check(`operation final within the walker's deadline (${polls} polls)`, false, last?.body);
    return last;
  }

  /** §Provisioning and §Polling Last Operation. */
  private async provision(instanceId: string, serviceId: string, planId: string): Promise<boolean> {
    this.flow = 'provisioning';
    const body = {
      service_id: serviceId,
      plan_id: planId,
      context: this.opts.context,
      parameters: this.opts.parameters,
      // Spec: receivers MUST ignore unknown fields.
      'x-vendor-extension': { anything: true },
    };
    const sync = await this.req('PUT', `/service_instances/${instanceId}`, body);
    if (sync.status === 422) {
      this.check(
        'async-only provision without accepts_incomplete: error AsyncRequired',
        sync.body?.error === 'AsyncRequired',
        sync.body,
      );
      this.errorShape('provision without accepts_incomplete', sync);
    } else {
      this.status('provision without accepts_incomplete (sync success or AsyncRequired)', sync, [201, 422]);
    }
    const missing = await this.req('PUT', `/service_instances/${randomUUID()}?accepts_incomplete=true`, {
      plan_id: planId,
      context: this.opts.context,
      parameters: this.opts.parameters,
    });
    this.status('provision without service_id (malformed)', missing, 400);
    this.errorShape('provision without service_id', missing);
    const unknownPlan = await this.req('PUT', `/service_instances/${randomUUID()}?accepts_incomplete=true`, {
      ...body,
      plan_id: randomUUID(),
    });
    this.status('provision with a plan not in the catalog', unknownPlan, 400);
    this.errorShape('provision with an unknown plan', unknownPlan);
    const notJson = await this.req(
      'PUT',
      `/service_instances/${randomUUID()}?accepts_incomplete=true`,
      '{"service_id":',
    );
    this.status('provision with a body that is not JSON', notJson, 400);
    this.errorShape('provision with invalid JSON', notJson);

    const accepted = await this.req('PUT', `/service_instances/${instanceId}?accepts_incomplete=true`, body);
    if (!this.status('provision with accepts_incomplete=true', accepted, [201, 202])) {
      return false;
    }
    this.jsonBody('provision answer', accepted);
    const operation: unknown = accepted.body?.operation;
    if (accepted.status === 202 && operation !== undefined && operation !== null) {
      this.check(
        '202 "operation" is a string of at most 10,000 characters',
        typeof operation === 'string' && operation.length <= 10000,
        operation,
      );
    }
    if ('dashboard_url' in accepted.body) {
      this.check(
        '"dashboard_url" is a string or null',
        accepted.body.dashboard_url === null || typeof accepted.body.dashboard_url === 'string',
        accepted.body.dashboard_url,
      );
    }
    if ('metadata' in accepted.body) {
      this.check('"metadata" is an object', isObject(accepted.body.metadata), accepted.body.metadata);
    }
    if (accepted.status === 202) {
      const again = await this.req('PUT', `/service_instances/${instanceId}?accepts_incomplete=true`, body);
      // Other than 202 only valid if the provisioning finished in between (then 200).
      this.sameOperationWhileInProgress('PUT', 'done', again, operation, [200, 202]);
      const conflicting = await this.req('PUT', `/service_instances/${instanceId}?accepts_incomplete=true`, {
        ...body,
        parameters: this.opts.conflictingParameters,
      });
      this.status('PUT of an instance being provisioned with different attributes', conflicting, 409);
      this.errorShape('409 on provision', conflicting);
      const unknownOp = await this.req('GET', `/service_instances/${randomUUID()}/last_operation`);
      this.status('last_operation of an unknown instance (v2.16)', unknownOp, [404, 410]);
      const final = await this.poll(
        instanceId,
        typeof operation === 'string' ? operation : undefined,
        `service_id=${serviceId}&plan_id=${planId}`,
        false,
      );
      if (!this.check('provisioning succeeded', final?.body?.state === 'succeeded', final?.body)) {
        return false;
      }
      const remembered = await this.req('GET', `/service_instances/${instanceId}/last_operation`);
      this.check(
        'the final state is not forgotten right away (v2.16)',
        remembered.status === 200 && remembered.body?.state === 'succeeded',
        remembered.body,
      );
    }
    const repeat = await this.req('PUT', `/service_instances/${instanceId}?accepts_incomplete=true`, body);
    this.status('PUT of an existing instance with identical attributes', repeat, [200, 202]);
    const different = await this.req('PUT', `/service_instances/${instanceId}?accepts_incomplete=true`, {
      ...body,
      parameters: this.opts.conflictingParameters,
    });
    this.status('PUT of an existing instance with different attributes', different, 409);
    this.errorShape('409 on provision', different);
    return true;
  }

  /** §Fetching a Service Instance (instances_retrievable). */
  private async fetchInstance(instanceId: string, serviceId: string, planId: string): Promise<void> {
    this.flow = 'fetch instance';
    const res = await this.req('GET', `/service_instances/${instanceId}?service_id=${serviceId}&plan_id=${planId}`);
    this.status('GET instance after provisioning succeeded', res, 200);
    this.jsonBody('GET instance', res);
    this.check('GET instance: "service_id" matches', res.body?.service_id === serviceId, res.body?.service_id);
    this.check('GET instance: "plan_id" matches', res.body?.plan_id === planId, res.body?.plan_id);
    if ('dashboard_url' in (res.body ?? {})) {
      this.check(
        'GET instance: "dashboard_url" string',
        typeof res.body.dashboard_url === 'string',
        res.body.dashboard_url,
      );
    }
    const unknown = await this.req('GET', `/service_instances/${randomUUID()}`);
    this.status('GET of an unknown instance', unknown, 404);
    this.errorShape('GET of an unknown instance', unknown);
  }

  /** §Binding and §Fetching a Service Binding. */
  private async bind(
    instanceId: string,
    bindingId: string,
    serviceId: string,
    planId: string,
    service?: Record<string, any>,
  ): Promise<void> {
    this.flow = 'binding';
    const path = `/service_instances/${instanceId}/service_bindings/${bindingId}`;
    const body = {
      service_id: serviceId,
      plan_id: planId,
      ...(this.opts.bindParameters ? { parameters: this.opts.bindParameters } : {}),
      context: this.opts.context,
      'x-vendor-extension': 1,
    };
    const missing = await this.req('PUT', `${path}?accepts_incomplete=false`, { plan_id: planId });
    this.status('bind without service_id (malformed)', missing, 400);
    this.errorShape('bind without service_id', missing);
    const notFound = await this.req('GET', path);
    this.status('GET binding before it exists', notFound, 404);

    const created = await this.req('PUT', path, body);
    if (!this.status('bind', created, [201, 202])) {
      return;
    }
    this.jsonBody('bind answer', created);
    if (created.status === 201) {
      this.check('201 "credentials" is an object', isObject(created.body.credentials), created.body);
      const meta = created.body.metadata;
      if (meta !== undefined) {
        this.check('"metadata" is an object', isObject(meta), meta);
        if (meta?.expires_at !== undefined) {
          this.check(
            '"metadata.expires_at" is yyyy-mm-ddThh:mm:ss.sZ',
            OSB_TIMESTAMP.test(String(meta.expires_at)),
            meta.expires_at,
          );
          this.check(
            '"metadata.expires_at" lies in the future',
            Date.parse(meta.expires_at) > Date.now(),
            meta.expires_at,
          );
        }
        if (meta?.renew_before !== undefined) {
          this.check(
            '"metadata.renew_before" is yyyy-mm-ddThh:mm:ss.sZ',
            OSB_TIMESTAMP.test(String(meta.renew_before)),
            meta.renew_before,
          );
          this.check(
            '"renew_before" <= "expires_at"',
            Date.parse(meta.renew_before) <= Date.parse(meta.expires_at),
            meta,
          );
        }
      }
      for (const [field, permission] of [
        ['syslog_drain_url', 'syslog_drain'],
        ['route_service_url', 'route_forwarding'],
        ['volume_mounts', 'volume_mount'],
      ]) {
        if (field in created.body) {
          this.check(
            `"${field}" only with requires ${permission}`,
            (service?.requires ?? []).includes(permission),
            created.body[field],
          );
        }
      }
      const repeat = await this.req('PUT', path, body);
      this.status('repeated bind with identical parameters', repeat, 200);
      this.check('repeated bind: the same credentials', JSON.stringify(repeat.body) === JSON.stringify(created.body));
      if (this.opts.conflictingBindParameters) {
        const conflicting = await this.req('PUT', path, { ...body, parameters: this.opts.conflictingBindParameters });
        this.status('bind of an existing id with different parameters', conflicting, 409);
        this.errorShape('bind conflict', conflicting);
      }
    }
    const unknownInstance = await this.req(
      'PUT',
      `/service_instances/${randomUUID()}/service_bindings/${randomUUID()}`,
      body,
    );
    this.status('bind to an unknown instance', unknownInstance, [400, 404, 422]);
    this.errorShape('bind to an unknown instance', unknownInstance);

    if (service?.bindings_retrievable === true) {
      const fetched = await this.req('GET', `${path}?service_id=${serviceId}&plan_id=${planId}`);
      this.status('GET binding (bindings_retrievable)', fetched, 200);
      this.jsonBody('GET binding', fetched);
      this.check(
        'GET binding: the credentials of the bind',
        JSON.stringify(fetched.body?.credentials) === JSON.stringify(created.body.credentials),
      );
    }
    const lastOp = await this.req('GET', `${path}/last_operation`);
    if (lastOp.status === 200) {
      this.check(
        'binding last_operation "state" valid',
        LAST_OPERATION_STATES.includes(lastOp.body?.state),
        lastOp.body,
      );
      this.check(
        'binding last_operation of a created binding: succeeded',
        lastOp.body?.state === 'succeeded',
        lastOp.body,
      );
    } else {
      this.status('binding last_operation', lastOp, [200, 400]);
    }
    const unknownLastOp = await this.req(
      'GET',
      `/service_instances/${instanceId}/service_bindings/${randomUUID()}/last_operation`,
    );
    this.status('binding last_operation of an unknown binding (v2.16)', unknownLastOp, [404, 410]);
  }

  /** §Unbinding. */
  private async unbind(
    instanceId: string,
    bindingId: string,
    serviceId: string,
    planId: string,
    service?: Record<string, any>,
  ): Promise<void> {
    this.flow = 'unbinding';
    const path = `/service_instances/${instanceId}/service_bindings/${bindingId}`;
    const missing = await this.req('DELETE', `${path}?plan_id=${planId}`);
    this.status('unbind without service_id', missing, 400);
    this.errorShape('unbind without service_id', missing);
    const missingPlan = await this.req('DELETE', `${path}?service_id=${serviceId}`);
    this.status('unbind without plan_id', missingPlan, 400);
    const deleted = await this.req('DELETE', `${path}?service_id=${serviceId}&plan_id=${planId}`);
    this.status('unbind', deleted, [200, 202]);
    if (deleted.status === 200) {
      this.check('unbind 200 body is {}', JSON.stringify(deleted.body) === '{}', deleted.body);
    }
    const again = await this.req('DELETE', `${path}?service_id=${serviceId}&plan_id=${planId}`);
    this.status('unbind of a binding that does not exist', again, 410);
    this.check('410 body is a JSON object', isObject(again.body), again.body);
    if (service?.bindings_retrievable === true) {
      const gone = await this.req('GET', path);
      this.status('GET binding after unbind', gone, 404);
    }
  }

  /** §Deprovisioning. */
  private async deprovision(instanceId: string, serviceId: string, planId: string): Promise<void> {
    this.flow = 'deprovisioning';
    const path = `/service_instances/${instanceId}`;
    const missing = await this.req('DELETE', `${path}?accepts_incomplete=true&plan_id=${planId}`);
    this.status('deprovision without service_id', missing, 400);
    this.errorShape('deprovision without service_id', missing);
    const missingPlan = await this.req('DELETE', `${path}?accepts_incomplete=true&service_id=${serviceId}`);
    this.status('deprovision without plan_id', missingPlan, 400);
    const sync = await this.req('DELETE', `${path}?service_id=${serviceId}&plan_id=${planId}`);
    if (sync.status === 422) {
      this.check(
        'async-only deprovision without accepts_incomplete: AsyncRequired',
        sync.body?.error === 'AsyncRequired',
        sync.body,
      );
      this.errorShape('deprovision without accepts_incomplete', sync, { allowInstanceUsable: true });
    } else {
      this.status('deprovision without accepts_incomplete (sync success or AsyncRequired)', sync, [200, 422]);
    }
    const accepted = await this.req(
      'DELETE',
      `${path}?accepts_incomplete=true&service_id=${serviceId}&plan_id=${planId}`,
    );
    if (!this.status('deprovision with accepts_incomplete=true', accepted, [200, 202])) {
      return;
    }
    this.jsonBody('deprovision answer', accepted);
    const operation: unknown = accepted.body?.operation;
    if (accepted.status === 202) {
      if (operation !== undefined && operation !== null) {
        this.check(
          '202 "operation" is a string of at most 10,000 characters',
          typeof operation === 'string' && operation.length <= 10000,
          operation,
        );
      }
      const again = await this.req(
        'DELETE',
        `${path}?accepts_incomplete=true&service_id=${serviceId}&plan_id=${planId}`,
      );
      this.sameOperationWhileInProgress('DELETE', 'gone', again, operation, [202, 410]);
      const final = await this.poll(
        instanceId,
        typeof operation === 'string' ? operation : undefined,
        `service_id=${serviceId}&plan_id=${planId}`,
        true,
      );
      this.check(
        'deprovisioning ends with succeeded or 410',
        final?.status === 410 || final?.body?.state === 'succeeded',
        final?.body,
      );
    } else {
      this.check('deprovision 200 body is {}', JSON.stringify(accepted.body) === '{}', accepted.body);
    }
    const gone = await this.req('DELETE', `${path}?accepts_incomplete=true&service_id=${serviceId}&plan_id=${planId}`);
    this.status('DELETE of an instance that does not exist', gone, 410);
    this.check('410 body is a JSON object', isObject(gone.body), gone.body);
    const goneOp = await this.req('GET', `${path}/last_operation`);
    this.status('last_operation after the instance is gone', goneOp, [404, 410]);
    const bindGone = await this.req('PUT', `${path}/service_bindings/${randomUUID()}`, {
      service_id: serviceId,
      plan_id: planId,
    });
    this.status('bind to a deprovisioned instance', bindGone, [404, 410, 422]);
    this.errorShape('bind to a deprovisioned instance', bindGone);
  }
}
