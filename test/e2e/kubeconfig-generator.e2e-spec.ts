import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { decodeJwt, importJWK, JWK, JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { RunningBroker } from '../../src/bootstrap';
import { ManualClock } from '../../src/common/clock';
import { startTestBroker } from '../support/broker';
import { kubectl } from '../support/kubectl';
import { OsbClient, osbClientFor, uniqueId } from '../support/osb-client';

interface Kubeconfig {
  'current-context': string;
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  users: Array<{
    name: string;
    user: { token?: string; exec?: { apiVersion: string; command: string; args: string[]; interactiveMode?: string } };
  }>;
}

const FOREIGN_ISSUER = 'https://login.example.org/oidc';

/** Two dev users: the runtime's administrator and a colleague who is not one. */
function brokerConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kbt-kcgen-')), 'broker.yaml');
  writeFileSync(
    file,
    [
      'devIssuer:',
      '  users:',
      '    - { username: admin@example.com, password: local-password, groups: [runtimeAdmin] }',
      '    - { username: dev@example.com, password: dev-password, groups: [developers] }',
    ].join('\n'),
  );
  return file;
}

/**
 * A stand-in for kubelogin: kubectl finds `kubectl-oidc_login` on PATH for `kubectl oidc-login`. It records
 * the arguments kubectl passed and hands back the ID token the way kubelogin does (an ExecCredential).
 */
function fakeKubelogin(idToken: string): { dir: string; argsFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kbt-kubelogin-'));
  const argsFile = join(dir, 'args');
  const script = join(dir, 'kubectl-oidc_login');
  const credential = JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    kind: 'ExecCredential',
    status: { token: idToken },
  });
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nprintf '%s' '${credential}'\n`);
  chmodSync(script, 0o755);
  return { dir, argsFile };
}

describe('kubeconfig generator: GET /kube-config (postgres)', () => {
  const clock = new ManualClock();
  let broker: RunningBroker;
  let osb: OsbClient;
  let issuer: string;
  /** administrators: [admin@example.com], the default OIDC settings (the dev issuer). */
  let adminRuntime: { instanceId: string; runtimeId: string };
  /** Trusts another issuer altogether. */
  let foreignRuntime: { instanceId: string; runtimeId: string };
  /** Trusts the dev issuer, but for another OIDC client id (audience). */
  let teamRuntime: { instanceId: string; runtimeId: string };
  let adminIdToken: string;

  async function idToken(username: string, password: string): Promise<string> {
    const res = await fetch(`${broker.url}/uaa/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('local-client:local-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id_token?: string };
    expect(body.id_token).toMatch(/^eyJ/);
    return body.id_token!;
  }

  async function getKubeconfig(query: string, authorization?: string) {
    const res = await fetch(`${broker.url}/kube-config?${query}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  }

  async function readyRuntime(parameters: Record<string, unknown>): Promise<{ instanceId: string; runtimeId: string }> {
    const instanceId = uniqueId('e2e-kcgen');
    await osb.provisionReady(instanceId, { parameters: { name: `rt-${instanceId.slice(-12)}`, ...parameters } });
    const res = await osb.request('GET', `/info/runtimes?instance_id=${instanceId}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    return { instanceId, runtimeId: res.body.data[0].runtimeID as string };
  }

  /** Signs with the dev issuer's own key (as persisted in DATA_DIR), so only what a test changes is wrong. */
  async function signWithDevKey(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
    const jwk = JSON.parse(readFileSync(join(broker.config.dataDir, 'dev-issuer-key.json'), 'utf8')) as JWK;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT', ...header })
      .sign(await importJWK(jwk, 'RS256'));
  }

  function idClaims(overrides: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      aud: broker.config.oidc.clientID,
      sub: 'admin@example.com',
      email: 'admin@example.com',
      email_verified: true,
      groups: ['runtimeAdmin'],
      iat: now,
      exp: now + 600,
      ...overrides,
    };
  }

  beforeAll(async () => {
    broker = await startTestBroker({ clock, env: { BROKER_CONFIG: brokerConfigFile() } });
    issuer = broker.config.oidc.issuerURL;
    osb = await osbClientFor(broker);
    adminRuntime = await readyRuntime({ region: 'eu-central-1', administrators: ['admin@example.com'] });
    foreignRuntime = await readyRuntime({
      region: 'eu-central-1',
      administrators: ['admin@example.com'],
      oidc: { clientID: 'kyma-runtime', issuerURL: FOREIGN_ISSUER },
    });
    teamRuntime = await readyRuntime({
      region: 'eu-central-1',
      administrators: ['admin@example.com'],
      oidc: { clientID: 'team-cluster', issuerURL: issuer },
    });
    adminIdToken = await idToken('admin@example.com', 'local-password');
  });
  afterAll(async () => {
    await broker.close();
  });
  afterEach(() => clock.set(new Date()));

  it('gives an administrator a kubeconfig carrying the ID token that kubectl uses as is', async () => {
    const res = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}`, `Bearer ${adminIdToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-yaml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kubeconfig.yaml"');
    expect(res.headers.get('cache-control')).toBe('no-store');

    const doc = yaml.load(res.text) as Kubeconfig;
    expect(doc.users).toHaveLength(1);
    expect(doc.users[0].user).toEqual({ token: adminIdToken });
    expect(doc.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toContain(
      '-----BEGIN CERTIFICATE-----',
    );
    expect(doc.contexts[0].name).toBe(doc['current-context']);

    const pods = await kubectl(res.text, ['get', 'pods', '-A']);
    expect(pods.stderr).toBe('');
    expect(pods.code).toBe(0);
    expect(pods.stdout).toMatch(/kube-system\s+\S+\s+1\/1\s+Running/);
    const whoami = await kubectl(res.text, ['auth', 'whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/Username\s+admin@example\.com/);
  });

  it('serves the same kubeconfig keyed by instance id', async () => {
    const byRuntime = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}`, `Bearer ${adminIdToken}`);
    const byInstance = await getKubeconfig(`instance_id=${adminRuntime.instanceId}`, `bearer  ${adminIdToken}`);
    expect(byInstance.status).toBe(200);
    expect(byInstance.text).toBe(byRuntime.text);
  });

  it('gives a user who is not an administrator a kubeconfig the runtime authenticates but forbids', async () => {
    const devIdToken = await idToken('dev@example.com', 'dev-password');
    const res = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}`, `Bearer ${devIdToken}`);
    expect(res.status).toBe(200);
    const pods = await kubectl(res.text, ['get', 'pods', '-A']);
    expect(pods.code).not.toBe(0);
    expect(pods.stderr).toContain('Error from server (Forbidden)');
    expect(pods.stderr).toContain('User "dev@example.com" cannot list resource "pods"');
    const whoami = await kubectl(res.text, ['auth', 'whoami']);
    expect(whoami.stdout).toMatch(/Username\s+dev@example\.com/);
  });

  it('stops working once the ID token has expired: kubectl gets Unauthorized, /kube-config 401', async () => {
    // Mint while the broker's clock runs behind, so this real dev-issuer token expires ~20 s from now in
    // real time (which the simulated runtime checks against) whatever the configured lifetime.
    const lifetime = broker.config.devIssuer.idTokenTtlSeconds;
    clock.set(new Date(Date.now() - (lifetime - 20) * 1000));
    const shortLived = await idToken('admin@example.com', 'local-password');
    clock.set(new Date());
    const exp = decodeJwt(shortLived).exp!;
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(21_000);

    const res = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}`, `Bearer ${shortLived}`);
    expect(res.status).toBe(200);
    const before = await kubectl(res.text, ['get', 'pods', '-A']);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(0);

    // Poll until the runtime refuses it (bounded), rather than sleeping for a fixed time.
    let after = before;
    const deadline = Date.now() + 60_000;
    while (after.code === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      after = await kubectl(res.text, ['get', 'pods', '-A']);
    }
    expect(after.code).not.toBe(0);
    // kubectl's words for a 401 (newer kubectl versions quote client-go's text for it instead of "Unauthorized").
    expect(after.stderr).toMatch(
      /You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);

    // The broker checks with its own clock (and its configured skew tolerance).
    clock.set(new Date((exp + broker.config.auth.clockToleranceSeconds + 1) * 1000));
    const refused = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}`, `Bearer ${shortLived}`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(refused.text)).toEqual({ error: 'Unauthorized', description: 'the ID token has expired' });
  });

  it('format=exec gives a kubeconfig that logs in through kubelogin (kubectl oidc-login)', async () => {
    const res = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}&format=exec`, `Bearer ${adminIdToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-yaml; charset=utf-8');
    expect(res.text).not.toContain(adminIdToken);
    const doc = yaml.load(res.text) as Kubeconfig;
    const exec = doc.users[0].user.exec!;
    expect(doc.users[0].user.token).toBeUndefined();
    expect(exec.command).toBe('kubectl');
    expect(exec.apiVersion).toBe('client.authentication.k8s.io/v1beta1');
    expect(exec.args.slice(0, 2)).toEqual(['oidc-login', 'get-token']);
    expect(exec.args).toEqual(
      expect.arrayContaining([`--oidc-issuer-url=${issuer}`, `--oidc-client-id=${broker.config.oidc.clientID}`]),
    );

    // kubectl runs the plugin it names; a kubelogin stand-in on PATH proves the kubeconfig is wired right.
    const plugin = fakeKubelogin(adminIdToken);
    const pods = await kubectl(res.text, ['get', 'pods', '-A'], 20000, {
      PATH: `${plugin.dir}:${process.env.PATH ?? ''}`,
    });
    expect(pods.stderr).toBe('');
    expect(pods.code).toBe(0);
    expect(readFileSync(plugin.argsFile, 'utf8').trim().split('\n')).toEqual(exec.args.slice(1));
  });

  it('checks the audience against the runtime’s own OIDC client id (broker and runtime alike)', async () => {
    const res = await getKubeconfig(`runtime_id=${teamRuntime.runtimeId}`, `Bearer ${adminIdToken}`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).description).toMatch(/not valid for this runtime: .*"aud"/);

    const forTeam = await signWithDevKey(idClaims({ aud: 'team-cluster' }));
    const ok = await getKubeconfig(`instance_id=${teamRuntime.instanceId}`, `Bearer ${forTeam}`);
    expect(ok.status).toBe(200);
    const whoami = await kubectl(ok.text, ['auth', 'whoami']);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toMatch(/Username\s+admin@example\.com/);
    // …and the default runtime does not take a token for team-cluster.
    const other = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}`, `Bearer ${forTeam}`);
    expect(other.status).toBe(401);
  });

  it('answers 403 with a clear description when the runtime trusts another issuer', async () => {
    const res = await getKubeconfig(`runtime_id=${foreignRuntime.runtimeId}`, `Bearer ${adminIdToken}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({
      error: 'Forbidden',
      description: `runtime ${foreignRuntime.runtimeId} trusts ID tokens of ${FOREIGN_ISSUER}, not of ${issuer}`,
    });
  });

  it('refuses missing and bad tokens with a 401 JSON error, never a 500', async () => {
    const valid = adminIdToken;
    const [header, payload] = valid.split('.');
    const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const devJwk = JSON.parse(readFileSync(join(broker.config.dataDir, 'dev-issuer-key.json'), 'utf8')) as JWK;
    const now = Math.floor(Date.now() / 1000);
    const tampered = Buffer.from(JSON.stringify({ ...decodeJwt(valid), sub: 'someone-else@example.com' })).toString(
      'base64url',
    );
    const cases: Array<[string, string | undefined]> = [
      ['no Authorization header', undefined],
      ['an empty bearer', 'Bearer '],
      ['Basic credentials', `Basic ${Buffer.from('admin@example.com:local-password').toString('base64')}`],
      ['garbage', 'Bearer not-a-jwt'],
      ['three garbage segments', 'Bearer a.b.c'],
      ['a JWT without a signature', `Bearer ${header}.${payload}`],
      [
        'a wrong signature (another key, same kid)',
        `Bearer ${await new SignJWT(idClaims()).setProtectedHeader({ alg: 'RS256', kid: devJwk.kid }).sign(foreignKey)}`,
      ],
      ['a tampered payload', `Bearer ${header}.${tampered}.${valid.split('.')[2]}`],
      ['a wrong audience', `Bearer ${await signWithDevKey(idClaims({ aud: 'someone-else' }))}`],
      ['alg none', `Bearer ${new UnsecuredJWT(idClaims()).encode()}`],
      [
        'HS256 keyed with the public key',
        `Bearer ${await new SignJWT(idClaims())
          .setProtectedHeader({ alg: 'HS256', kid: devJwk.kid })
          .sign(new TextEncoder().encode(JSON.stringify({ kty: devJwk.kty, n: devJwk.n, e: devJwk.e })))}`,
      ],
      ['an expired token', `Bearer ${await signWithDevKey(idClaims({ iat: now - 7200, exp: now - 3600 }))}`],
      ['a token not valid yet', `Bearer ${await signWithDevKey(idClaims({ nbf: now + 3600 }))}`],
      ['a token without exp', `Bearer ${await signWithDevKey(idClaims({ exp: undefined }))}`],
      ['an unknown kid', `Bearer ${await signWithDevKey(idClaims(), { kid: 'no-such-key' })}`],
    ];
    for (const [what, authorization] of cases) {
      const res = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}`, authorization);
      expect({ what, status: res.status }).toEqual({ what, status: 401 });
      expect({ what, type: res.headers.get('content-type') }).toEqual({
        what,
        type: 'application/json; charset=utf-8',
      });
      expect(res.headers.get('content-disposition')).toBeNull();
      const body = JSON.parse(res.text) as { error: string; description: string };
      expect({ what, error: body.error }).toEqual({ what, error: 'Unauthorized' });
      expect(body.description).toEqual(expect.any(String));
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    // Without a runtime: what is not even a signed JWT is still a 401 (checked first); the rest cannot be
    // verified without the runtime's OIDC settings, so the missing runtime_id is the answer. Never a 500.
    const notSignedJwts = [
      'no Authorization header',
      'an empty bearer',
      'Basic credentials',
      'garbage',
      'three garbage segments',
      'a JWT without a signature',
      'alg none',
    ];
    for (const [what, authorization] of cases) {
      const res = await getKubeconfig('', authorization);
      expect({ what, status: res.status }).toEqual({ what, status: notSignedJwts.includes(what) ? 401 : 400 });
    }
  });

  it('answers 400 without a runtime, 404 for an unknown one, and never 500 for odd queries', async () => {
    const bearer = `Bearer ${adminIdToken}`;
    const noRuntime = await getKubeconfig('', bearer);
    expect(noRuntime.status).toBe(400);
    expect(JSON.parse(noRuntime.text).description).toBe('runtime_id (or instance_id) is required');

    const unknown = await getKubeconfig('runtime_id=no-such-runtime', bearer);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ description: 'runtime no-such-runtime not found' });
    expect((await getKubeconfig('instance_id=no-such-instance', bearer)).status).toBe(404);

    const badFormat = await getKubeconfig(`runtime_id=${adminRuntime.runtimeId}&format=yaml`, bearer);
    expect(badFormat.status).toBe(400);
    expect(JSON.parse(badFormat.text).description).toMatch(/format must be "token" or "exec"/);

    for (const query of [
      'runtime_id=%00',
      'runtime_id=a%00b',
      `runtime_id=${'x'.repeat(300)}`,
      'runtime_id[a]=b',
      `runtime_id=${adminRuntime.runtimeId}&runtime_id=other`,
      'instance_id=%F0%28%8C%28',
      `runtime_id=${adminRuntime.runtimeId}&format[]=exec`,
    ]) {
      const res = await getKubeconfig(query, bearer);
      expect({ query, status: res.status, expected: [400, 404].includes(res.status) }).toEqual({
        query,
        status: res.status,
        expected: true,
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('answers 404 once the runtime is deprovisioned', async () => {
    const gone = await readyRuntime({ region: 'eu-central-1', administrators: ['admin@example.com'] });
    expect((await getKubeconfig(`runtime_id=${gone.runtimeId}`, `Bearer ${adminIdToken}`)).status).toBe(200);
    expect((await osb.deprovision(gone.instanceId)).status).toBe(202);
    const done = await osb.waitForOperation(gone.instanceId);
    expect(done.status === 410 || done.body.state === 'succeeded').toBe(true);
    const res = await getKubeconfig(`runtime_id=${gone.runtimeId}`, `Bearer ${adminIdToken}`);
    expect(res.status).toBe(404);
  });

  it('is documented in Swagger: query parameters, bearer auth, YAML success and JSON errors', async () => {
    const res = await fetch(`${broker.url}/swagger/json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; [k: string]: any }>>;
    };
    const op = doc.paths['/kube-config']?.get;
    expect(op).toBeDefined();
    expect(op.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'query:format',
      'query:instance_id',
      'query:runtime_id',
    ]);
    expect(op.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/x-yaml']);
    expect(op.responses['200'].headers['Content-Disposition']).toBeDefined();
    for (const status of ['400', '401', '403', '404', '503']) {
      expect({ status, content: Object.keys(op.responses[status]?.content ?? {}) }).toEqual({
        status,
        content: ['application/json'],
      });
    }
  });
});
