import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { RunningBroker } from '../../src/bootstrap';
import { devToken } from '../support/broker';
import { BACKENDS } from '../support/databases';
import { startBrokerOn, startTestLandscape } from '../support/landscape';
import { osbErrorProblems } from '../support/osb-conformance';
import { AWS_PLAN_ID, HttpAnswer, KYMA_SERVICE_ID, OsbClient, uniqueId } from '../support/osb-client';
import type { Landscape } from '../../src/simulator';

/** One route of the running broker, as its own OpenAPI document describes it. */
interface Route {
  method: string;
  template: string;
  query: string[];
  bodyFields?: string[];
  form: boolean;
}

interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Plain node:http, so nothing between the test and the broker fixes up hostile input. */
function send(baseUrl: string, req: RawRequest): Promise<HttpAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: {
          ...req.headers,
          ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (typeof v === 'string') {
              headers.set(k, v);
            }
          }
          resolve({ status: res.statusCode ?? 0, body, headers });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Strings that have broken parsers, validators, databases and loggers before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(50),
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  'Ω≈ç√∫˜µ≤≥÷',
  'x'.repeat(5000),
  '../../etc/passwd',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  '-1',
  '1e309',
  'null',
  'true',
  '[]',
  '{}',
];
const RAW_SEGMENTS = ['%', '%zz', '%00', '%2e%2e', '..', '%2F', '%C0%AF', '%ED%A0%80', '%F0%9F%98%80', '%25'];
const HEADER_SAFE = fc
  .string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFZabcxyz[\\]^_`{|}~é'.split('')) })
  .map((s) => s.trim());

const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, -0, 1e308),
  fc.constantFrom({}, [], null, true, false),
  fc.dictionary(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf'),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);

/** encodeURIComponent, except that lone surrogates (which it refuses) go out as their raw UTF-8 bytes. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
}

function segment(values: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...values).map(encode),
    fc.constantFrom(...NASTY_STRINGS).map(encode),
    fc.string({ unit: 'grapheme', maxLength: 40 }).map(encode),
    fc.constantFrom(...RAW_SEGMENTS),
  );
}

/** A JSON text that is deeply nested (objects or arrays), optionally inside a plausible envelope. */
function deeplyNested(depth: number, kind: 'object' | 'array'): string {
  return kind === 'object' ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
}

/** Turns a named body ("deep:5000:object") into the text it stands for. */
function materialize(req: RawRequest): RawRequest {
  const deep = /^deep:(\d+):(object|array)$/.exec(typeof req.body === 'string' ? req.body : '');
  return deep ? { ...req, body: deeplyNested(Number(deep[1]), deep[2] as 'object' | 'array') } : req;
}

describe.each(BACKENDS)('hostile input (%s)', (backend) => {
  let landscape: Landscape;
  let broker: RunningBroker;
  let token: string;
  let routes: Route[];
  let readyInstance: string;
  const seen = new Map<number, number>();

  beforeAll(async () => {
    landscape = await startTestLandscape();
    broker = await startBrokerOn(landscape, { backend });
    token = await devToken(broker.url);
    const osb = new OsbClient(broker.url, token);
    readyInstance = uniqueId('rel-hostile');
    await osb.provisionReady(readyInstance);

    const spec = (await (await fetch(`${broker.url}/swagger/json`)).json()) as {
      paths: Record<string, Record<string, any>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    routes = [];
    for (const [template, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const content = op.requestBody?.content ?? {};
        const ref: string | undefined = (Object.values(content)[0] as any)?.schema?.$ref;
        const schema = ref ? spec.components.schemas[ref.split('/').pop()!] : undefined;
        routes.push({
          method: method.toUpperCase(),
          template,
          query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name as string),
          bodyFields: op.requestBody ? Object.keys(schema?.properties ?? {}) : undefined,
          form: 'application/x-www-form-urlencoded' in content,
        });
      }
    }
    // The document covers the whole API (a broken swagger would make this test fuzz nothing).
    expect(routes.length).toBeGreaterThanOrEqual(35);
  });
  afterAll(async () => {
    await broker?.close();
    await landscape?.stop();
  });

  /** The broker's contract for hostile input: a JSON answer below 500, and a well-formed error when refused. */
  function expectContained(req: RawRequest, res: HttpAnswer): void {
    seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
    const context = { method: req.method, path: req.path.slice(0, 300), body: String(req.body ?? '').slice(0, 300) };
    expect({ ...context, status: res.status, below500: res.status > 0 && res.status < 500 }).toEqual({
      ...context,
      status: res.status,
      below500: true,
    });
    if (res.status >= 400) {
      const problems = req.path.startsWith('/uaa/')
        ? typeof res.body === 'object' && res.body !== null && typeof res.body.error === 'string'
          ? []
          : ['OAuth error body expected']
        : osbErrorProblems(res);
      expect({ ...context, status: res.status, problems }).toEqual({ ...context, status: res.status, problems: [] });
    }
  }

  function requestFor(route: Route): fc.Arbitrary<RawRequest> {
    const params = (route.template.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1));
    const pathArb = fc
      .tuple(
        ...params.map((p) =>
          p === 'region'
            ? segment(['cf-eu10', 'cf-eu11', 'cf-us10'])
            : segment([readyInstance, uniqueId('x'), 'b1', '00000000-0000-4000-8000-000000000000']),
        ),
      )
      .map((values) => params.reduce((path, p, i) => path.replace(`{${p}}`, values[i]), route.template));
    const queryArb = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(...route.query, 'accepts_incomplete', 'service_id', 'plan_id', 'operation'),
            fc.constantFrom(
              '__proto__[x]',
              'constructor[prototype][x]',
              'service_id[a]',
              'plan_id[]',
              'page[$gt]',
              'x',
            ),
          ),
          fc.oneof(fc.constantFrom(KYMA_SERVICE_ID, AWS_PLAN_ID, 'true', 'false', '-1', '1e9'), segment([''])),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${encodeURI(k)}=${v}`).join('&'));
    const headersArb = fc.record(
      {
        version: fc.oneof(fc.constant('2.17'), fc.constant('2.14'), HEADER_SAFE),
        auth: fc.oneof(
          { weight: 8, arbitrary: fc.constant(`Bearer ${token}`) },
          { weight: 1, arbitrary: HEADER_SAFE.map((s) => `Bearer ${s}`) },
          { weight: 1, arbitrary: HEADER_SAFE },
        ),
        identity: HEADER_SAFE,
        originating: fc.oneof(
          HEADER_SAFE,
          fc.jsonValue().map((v) => `cloudfoundry ${Buffer.from(JSON.stringify(v)).toString('base64')}`),
        ),
        contentType: fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
          '',
        ),
      },
      { requiredKeys: ['auth'] },
    );
    const bodyArb: fc.Arbitrary<string | undefined> = route.bodyFields
      ? fc.oneof(
          // The DTO's own fields with values of any type.
          fc
            .dictionary(
              fc.constantFrom(...route.bodyFields, 'service_id', 'plan_id', 'parameters', 'context', '__proto__'),
              anyJson,
            )
            .map((o) => JSON.stringify(o)),
          // Plausible requests with one part wrong.
          fc
            .record({ parameters: anyJson, context: anyJson, maintenance_info: anyJson })
            .map((o) => JSON.stringify({ service_id: KYMA_SERVICE_ID, plan_id: AWS_PLAN_ID, ...o })),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.constantFrom(
            '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
            `{"service_id":"${KYMA_SERVICE_ID}","plan_id":"${AWS_PLAN_ID}","parameters":{"__proto__":{"polluted":"yes"}}}`,
            '"\\ud800"',
            '{"parameters":{"name":"\\u0000"}}',
          ),
          fc
            .constantFrom(200, 5000)
            .chain((d) => fc.constantFrom('object' as const, 'array' as const).map((k) => deeplyNested(d, k))),
        )
      : fc.constant(undefined);
    return fc
      .record({
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(route.method) },
          { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'POST', 'PATCH', 'DELETE') },
        ),
        path: pathArb,
        query: queryArb,
        headers: headersArb,
        body: bodyArb,
      })
      .map(({ method, path, query, headers, body }) => {
        return {
          method,
          path: `${path}${query ? `?${query}` : ''}`,
          headers: {
            authorization: headers.auth,
            ...(headers.version !== undefined ? { 'x-broker-api-version': headers.version } : {}),
            ...(headers.identity ? { 'x-broker-api-request-identity': headers.identity } : {}),
            ...(headers.originating ? { 'x-broker-api-originating-identity': headers.originating } : {}),
            ...(body !== undefined && headers.contentType
              ? {
                  'content-type':
                    route.form && headers.contentType === 'application/json'
                      ? 'application/x-www-form-urlencoded'
                      : headers.contentType,
                }
              : {}),
          },
          body,
        };
      });
  }

  it('fuzzes every route (path params, query, headers, JSON bodies): never a 5xx, always a JSON error', async () => {
    const all = fc.oneof(...routes.map((r) => requestFor(r)));
    await fc.assert(
      fc.asyncProperty(all, async (spec) => {
        const req = materialize(spec);
        expectContained(req, await send(broker.url, req));
      }),
      { numRuns: 800, endOnFailure: true },
    );
    // The fuzz got past authentication and the version check into validation and the handlers.
    const count = (pred: (status: number) => boolean) =>
      [...seen].filter(([status]) => pred(status)).reduce((n, [, c]) => n + c, 0);
    expect({ validation400: count((s) => s === 400) > 30, notFound404: count((s) => s === 404) > 30 }).toEqual({
      validation400: true,
      notFound404: true,
    });
    expect(count((s) => s >= 200 && s < 300)).toBeGreaterThan(0);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await fetch(`${broker.url}/healthz`)).status).toBe(200);
  });

  it('answers 413 to bodies beyond the limit, on every route that takes a body', async () => {
    const huge = JSON.stringify({
      service_id: KYMA_SERVICE_ID,
      plan_id: AWS_PLAN_ID,
      parameters: { blob: 'x'.repeat(1_100_000) },
    });
    for (const route of routes.filter((r) => r.bodyFields)) {
      const path = route.template.replace('{region}', 'cf-eu10').replace(/\{\w+\}/g, readyInstance);
      const req: RawRequest = {
        method: route.method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          'x-broker-api-version': '2.17',
          'content-type': route.form ? 'application/x-www-form-urlencoded' : 'application/json',
        },
        body: route.form ? `grant_type=client_credentials&x=${'y'.repeat(1_100_000)}` : huge,
      };
      const res = await send(broker.url, req);
      expect({ route: `${route.method} ${route.template}`, status: res.status }).toEqual({
        route: `${route.method} ${route.template}`,
        status: 413,
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  // [label, body, must it be refused (4xx)?]: prototype keys may be ignored (2xx) but never take effect.
  it.each<[string, string, boolean]>([
    ['200-deep objects', deeplyNested(200, 'object'), true],
    ['5000-deep objects', deeplyNested(5000, 'object'), true],
    ['100000-deep arrays', deeplyNested(100000, 'array'), true],
    [
      'parameters 5000 deep',
      `{"service_id":"${KYMA_SERVICE_ID}","plan_id":"${AWS_PLAN_ID}","parameters":${deeplyNested(5000, 'object')}}`,
      true,
    ],
    [
      'context 5000 deep',
      `{"service_id":"${KYMA_SERVICE_ID}","plan_id":"${AWS_PLAN_ID}","context":${deeplyNested(5000, 'array')}}`,
      true,
    ],
    ['wrong types', `{"service_id":1,"plan_id":[],"parameters":"x","context":7}`, true],
    [
      'prototype keys',
      `{"service_id":"${KYMA_SERVICE_ID}","plan_id":"${AWS_PLAN_ID}","__proto__":{"parameters":{"expiration_seconds":1}},"constructor":{"prototype":{"polluted":1}}}`,
      false,
    ],
    [
      'a lone surrogate',
      `{"service_id":"${KYMA_SERVICE_ID}","plan_id":"${AWS_PLAN_ID}","parameters":{"name":"\\udc00"}}`,
      false,
    ],
    ['invalid JSON', '{"service_id":', true],
  ])('answers %s without a 5xx (a 4xx JSON error where it is malformed)', async (_label, body, mustRefuse) => {
    const targets: Array<[string, string]> = [
      ['PUT', `/oauth/v2/service_instances/${uniqueId('deep')}?accepts_incomplete=true`],
      ['PATCH', `/oauth/v2/service_instances/${readyInstance}?accepts_incomplete=true`],
      ['PUT', `/oauth/v2/service_instances/${readyInstance}/service_bindings/${uniqueId('deep')}`],
      ['POST', '/provisioning/v1/environments'],
      ['PUT', `/provisioning/v1/environments/${readyInstance}/bindings`],
    ];
    for (const [method, path] of targets) {
      const req: RawRequest = {
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          'x-broker-api-version': '2.17',
          'content-type': 'application/json',
        },
        body,
      };
      const res = await send(broker.url, req);
      expectContained(req, res);
      if (mustRefuse) {
        expect({ method, path, status: res.status, is4xx: res.status >= 400 && res.status < 500 }).toEqual({
          method,
          path,
          status: res.status,
          is4xx: true,
        });
      }
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
