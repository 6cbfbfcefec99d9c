import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningBroker } from '../../src/bootstrap';
import { devToken, startTestBroker } from '../support/broker';
import { BACKENDS } from '../support/databases';
import { kubectl } from '../support/kubectl';

const SEED_SCRIPT = join(__dirname, 'seed-003.sh');
// Unique per run: the test databases outlive one suite.
const TENANT_B = {
  clientId: 'tenant-b',
  clientSecret: 'tenant-b-secret',
  subaccountId: `sa-b-${randomUUID()}`,
  globalAccountId: `ga-b-${randomUUID()}`,
};

/** Extra dev clients: a second subaccount, and a client without the provisioning scope. */
function brokerConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kbt-papi-')), 'broker.yaml');
  writeFileSync(
    file,
    [
      'devIssuer:',
      '  clients:',
      `    - clientId: ${TENANT_B.clientId}`,
      `      clientSecret: ${TENANT_B.clientSecret}`,
      '      scopes: [provisioning:write]',
      `      globalAccountId: ${TENANT_B.globalAccountId}`,
      `      subaccountId: ${TENANT_B.subaccountId}`,
      '    - clientId: osb-only',
      '      clientSecret: osb-only-secret',
      '      scopes: [broker:write]',
    ].join('\n'),
  );
  return file;
}

interface Answer {
  status: number;
  // Bodies are checked by their shape in the assertions themselves.
  body: any;
  headers: Headers;
}

interface ScriptRun {
  code: number;
  output: string;
}

function runSeedScript(env: Record<string, string>): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [SEED_SCRIPT],
      { env: { ...process.env, ...env }, cwd: mkdtempSync(join(tmpdir(), 'kbt-seed3-')), timeout: 240_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe.each(BACKENDS)('Provisioning Service API (%s)', (backend) => {
  let broker: RunningBroker;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    broker = await startTestBroker({ backend, env: { BROKER_CONFIG: brokerConfigFile() } });
    tokenA = await devToken(broker.url);
    tokenB = await devToken(broker.url, TENANT_B.clientId, TENANT_B.clientSecret);
  });
  afterAll(async () => {
    await broker.close();
  });

  async function call(token: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${broker.url}/provisioning/v1${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
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
    return { status: res.status, body: parsed, headers: res.headers };
  }

  function createBody(name: string, overrides: Record<string, unknown> = {}) {
    return {
      environmentType: 'kyma',
      serviceName: 'kymaruntime',
      planName: 'aws',
      parameters: { name, region: 'eu-central-1' },
      user: 'e2e@example.com',
      ...overrides,
    };
  }

  async function readyEnvironment(token: string, name: string): Promise<string> {
    const created = await call(token, 'POST', '/environments', createBody(name));
    expect(created.status).toBe(202);
    const id: string = created.body.id;
    for (let i = 0; i < 240; i++) {
      const env = await call(token, 'GET', `/environments/${id}`);
      expect(env.status).toBe(200);
      if (env.body.state === 'OK') {
        return id;
      }
      expect(env.body.state).toBe('CREATING');
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`environment ${id} not OK after 60 s`);
  }

  async function deleteAndWait(token: string, id: string): Promise<void> {
    expect((await call(token, 'DELETE', `/environments/${id}`)).status).toBe(202);
    for (let i = 0; i < 240; i++) {
      if ((await call(token, 'GET', `/environments/${id}`)).status === 404) {
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`environment ${id} still there after 60 s`);
  }

  it('runs seed 003 (steps 3-13 and Next Steps) verbatim with curl, jq, sed and kubectl', async () => {
    const run = await runSeedScript({
      UAA_URL: `${broker.url}/uaa`,
      PROVISIONING_SERVICE_URL: broker.url,
      CLIENT_ID: 'local-client',
      CLIENT_SECRET: 'local-secret',
    });
    // The whole transcript in the failure message: which step broke and what it got.
    expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: expect.any(String) });
    for (const step of [
      'step 3',
      'step 4',
      'step 6',
      'provisioning',
      'step 8',
      'step 9',
      'step 11',
      'step 12',
      'step 13',
      'next steps',
    ]) {
      expect(run.output).toContain(`ok ${step}:`);
    }
    expect(run.output).toMatch(/ok step 11: kubectl get pods/);
    expect(run.output).toMatch(/ok step 13: binding deleted; kubectl refused: .*(Unauthorized|must be logged in)/);
    expect(run.output).toContain('seed 003 holds');
    expect(run.output).not.toContain('FAIL');
  }, 300_000);

  it('answers the binding id in a lower-case location header and serves its kubeconfig', async () => {
    const id = await readyEnvironment(tokenA, 'papi-location');
    const res = await fetch(`${broker.url}/provisioning/v1/environments/${id}/bindings`, {
      method: 'PUT',
      headers: { authorization: `bearer ${tokenA}`, 'content-type': 'application/json' },
      body: JSON.stringify({ parameters: { expiration_seconds: 600 } }),
    });
    expect(res.status).toBe(202);
    // fetch lower-cases names; the raw header line is checked by the seed script's sed.
    const bindingId = res.headers.get('location');
    expect(bindingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ id: bindingId, expiresAt: expect.stringMatching(/Z$/) });
    const binding = await call(tokenA, 'GET', `/environments/${id}/bindings/${bindingId}`);
    expect(binding.status).toBe(200);
    expect(binding.body).toMatchObject({ id: bindingId, parameters: { expiration_seconds: 600, token_request: true } });
    const pods = await kubectl(binding.body.credentials.kubeconfig, ['get', 'pods']);
    expect(pods.code).toBe(0);
    await deleteAndWait(tokenA, id);
  }, 120_000);

  it('keeps subaccounts apart: another subaccount sees 404 and never lists them', async () => {
    const idA = await readyEnvironment(tokenA, 'papi-tenant-a');
    const idB = await readyEnvironment(tokenB, 'papi-tenant-b');

    const envA = await call(tokenA, 'GET', `/environments/${idA}`);
    expect(envA.body).toMatchObject({ subaccountGUID: 'local-subaccount', globalAccountGUID: 'local-global-account' });
    const envB = await call(tokenB, 'GET', `/environments/${idB}`);
    expect(envB.body).toMatchObject({
      subaccountGUID: TENANT_B.subaccountId,
      globalAccountGUID: TENANT_B.globalAccountId,
    });

    const listA = (await call(tokenA, 'GET', '/environments')).body.environmentInstances.map(
      (e: { id: string }) => e.id,
    );
    const listB = (await call(tokenB, 'GET', '/environments')).body.environmentInstances.map(
      (e: { id: string }) => e.id,
    );
    expect(listA).toContain(idA);
    expect(listA).not.toContain(idB);
    expect(listB).toEqual([idB]);

    const bound = await call(tokenA, 'PUT', `/environments/${idA}/bindings`, {
      parameters: { expiration_seconds: 600 },
    });
    expect(bound.status).toBe(202);
    const bindingA: string = bound.body.id;

    const foreign: Array<[string, string, unknown?]> = [
      ['GET', `/environments/${idA}`],
      ['PATCH', `/environments/${idA}`, { planName: 'aws', parameters: {} }],
      ['DELETE', `/environments/${idA}`],
      ['PUT', `/environments/${idA}/bindings`, { parameters: { expiration_seconds: 600 } }],
      ['GET', `/environments/${idA}/bindings`],
      ['GET', `/environments/${idA}/bindings/${bindingA}`],
      ['DELETE', `/environments/${idA}/bindings/${bindingA}`],
    ];
    for (const [method, path, body] of foreign) {
      const res = await call(tokenB, method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expect(res.body.description).toMatch(/not found/);
      expect(JSON.stringify(res.body)).not.toContain('kubeconfig');
    }
    // Nothing happened to A's environment or binding.
    expect((await call(tokenA, 'GET', `/environments/${idA}`)).body.state).toBe('OK');
    const stillBound = await call(tokenA, 'GET', `/environments/${idA}/bindings/${bindingA}`);
    expect(stillBound.status).toBe(200);
    expect((await kubectl(stillBound.body.credentials.kubeconfig, ['get', 'pods'])).code).toBe(0);

    await deleteAndWait(tokenA, idA);
    await deleteAndWait(tokenB, idB);
  }, 180_000);

  it('refuses bad environment requests with 4xx and messages naming the problem', async () => {
    const cases: Array<[string, unknown, number, RegExp]> = [
      ['missing planName', createBody('bad-1', { planName: undefined }), 400, /planName is required/],
      [
        'unknown plan',
        createBody('bad-2', { planName: 'no-such-plan' }),
        400,
        /planName "no-such-plan" is not available in region cf-eu10 \(available: .*aws/,
      ],
      [
        'region not allowed',
        createBody('bad-3', { parameters: { name: 'bad-3', region: 'mars-central-1' } }),
        400,
        /region/,
      ],
      ['missing parameters.name', createBody('bad-4', { parameters: { region: 'eu-central-1' } }), 400, /name/],
      [
        'wrong environmentType',
        createBody('bad-5', { environmentType: 'cloudfoundry' }),
        400,
        /environmentType must be "kyma"/,
      ],
      ['wrong serviceName', createBody('bad-6', { serviceName: 'kyma' }), 400, /serviceName must be "kymaruntime"/],
      [
        'parameters not an object',
        createBody('bad-7', { parameters: 'name=x' }),
        400,
        /parameters must be a JSON object/,
      ],
      ['no user with a client token', createBody('bad-8', { user: undefined }), 400, /user is required/],
      ['invalid JSON', '{"environmentType":"kyma",', 400, /JSON/],
    ];
    for (const [label, body, status, message] of cases) {
      const res = await call(tokenA, 'POST', '/environments', body);
      expect({ label, status: res.status }).toEqual({ label, status });
      expect({ label, description: res.body.description }).toEqual({
        label,
        description: expect.stringMatching(message),
      });
    }
    const listed = (await call(tokenA, 'GET', '/environments')).body.environmentInstances.map(
      (e: { name: string }) => e.name,
    );
    expect(listed.filter((n: string) => n.startsWith('bad-'))).toEqual([]);
    expect((await call(tokenA, 'GET', '/environments/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('applies the bindings rules of the OSB route: 600-7200 s and at most 10 non-expired bindings', async () => {
    const id = await readyEnvironment(tokenA, 'papi-rules');
    const bad: Array<[unknown, RegExp]> = [
      [{ parameters: { expiration_seconds: 599 } }, /expiration_seconds cannot be less than 600/],
      [{ parameters: { expiration_seconds: 7201 } }, /expiration_seconds cannot be greater than 7200/],
      [{ parameters: { expiration_seconds: '900' } }, /expiration_seconds/],
      [{ parameters: 'x' }, /parameters must be a JSON object/],
      ['{"parameters":', /JSON/],
    ];
    for (const [body, message] of bad) {
      const res = await call(tokenA, 'PUT', `/environments/${id}/bindings`, body);
      expect(res.status).toBe(400);
      expect(res.body.description).toMatch(message);
      expect(res.headers.get('location')).toBeNull();
    }
    // Sequential on purpose: the limit under concurrency is the bindings service's, tested on the OSB route.
    const statuses: number[] = [];
    for (const expiration_seconds of [600, 7200, ...Array.from({ length: 8 }, () => undefined)]) {
      const res = await call(tokenA, 'PUT', `/environments/${id}/bindings`, { parameters: { expiration_seconds } });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 202));
    for (const body of [{ parameters: { expiration_seconds: 900 } }, {}]) {
      const refused = await call(tokenA, 'PUT', `/environments/${id}/bindings`, body);
      expect(refused.status).toBe(400);
      expect(refused.body.description).toBe('maximum number of non expired bindings reached: 10');
      expect(refused.headers.get('location')).toBeNull();
    }
    const list = await call(tokenA, 'GET', `/environments/${id}/bindings`);
    expect(list.body.bindings).toHaveLength(10);
    expect(list.body.bindings[0]).toEqual({
      id: expect.any(String),
      bindingId: expect.any(String),
      instanceId: id,
      createdAt: expect.any(String),
      createdDate: expect.any(String),
      expiresAt: expect.any(String),
      expired: false,
    });
    // Revoking one makes room again; an unknown binding is 404.
    const first: string = list.body.bindings[0].id;
    expect((await call(tokenA, 'DELETE', `/environments/${id}/bindings/${first}`)).status).toBe(200);
    expect((await call(tokenA, 'DELETE', `/environments/${id}/bindings/${first}`)).status).toBe(404);
    expect((await call(tokenA, 'GET', `/environments/${id}/bindings/${first}`)).status).toBe(404);
    expect((await call(tokenA, 'PUT', `/environments/${id}/bindings`, {})).status).toBe(202);
    await deleteAndWait(tokenA, id);
  }, 180_000);

  it('needs a token with the provisioning scope', async () => {
    const none = await call(undefined, 'GET', '/availableEnvironments');
    expect(none.status).toBe(401);
    const osbOnly = await devToken(broker.url, 'osb-only', 'osb-only-secret');
    const refused = await call(osbOnly, 'GET', '/environments');
    expect(refused.status).toBe(403);
    expect(refused.body.description).toMatch(/provisioning:write/);
  });

  it('lists the plans of the region with their schemas as JSON strings', async () => {
    const res = await call(tokenA, 'GET', '/availableEnvironments');
    expect(res.status).toBe(200);
    const aws = res.body.availableEnvironments.find((e: { planName: string }) => e.planName === 'aws');
    expect(aws).toMatchObject({ environmentType: 'kyma', serviceName: 'kymaruntime', landscapeLabel: 'cf-eu10' });
    expect(typeof aws.createSchema).toBe('string');
    const schema = JSON.parse(aws.createSchema) as { parameters: { properties: Record<string, unknown> } };
    expect(Object.keys(schema.parameters.properties)).toEqual(expect.arrayContaining(['name', 'region']));
  });
});
