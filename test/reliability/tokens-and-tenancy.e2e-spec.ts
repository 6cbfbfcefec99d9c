import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, JWK, JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { RunningBroker } from '../../src/bootstrap';
import type { Landscape } from '../../src/simulator';
import { devToken } from '../support/broker';
import { BACKENDS } from '../support/databases';
import { kubectl } from '../support/kubectl';
import { startBrokerOn, startTestLandscape } from '../support/landscape';
import { HttpAnswer } from '../support/osb-client';

const run = randomUUID().slice(0, 8);
const TENANT_A = {
  clientId: 'tenant-a',
  clientSecret: 'a-secret',
  subaccountId: `sa-a-${run}`,
  globalAccountId: `ga-${run}`,
};
const TENANT_B = {
  clientId: 'tenant-b',
  clientSecret: 'b-secret',
  subaccountId: `sa-b-${run}`,
  globalAccountId: `ga-${run}`,
};

function brokerConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kbt-tenancy-')), 'broker.yaml');
  const client = (t: typeof TENANT_A) =>
    [
      `    - clientId: ${t.clientId}`,
      `      clientSecret: ${t.clientSecret}`,
      '      scopes: [provisioning:write]',
      `      subaccountId: ${t.subaccountId}`,
      `      globalAccountId: ${t.globalAccountId}`,
    ].join('\n');
  writeFileSync(file, ['devIssuer:', '  clients:', client(TENANT_A), client(TENANT_B)].join('\n'));
  return file;
}

/** One request per scope kind: the OSB API, the runtimes list, the Provisioning Service API. */
const PROTECTED: Array<[string, Record<string, string>]> = [
  ['/oauth/v2/catalog', { 'x-broker-api-version': '2.17' }],
  ['/runtimes', {}],
  ['/provisioning/v1/environments', {}],
];

describe.each(BACKENDS)('tokens and tenancy (%s)', (backend) => {
  let landscape: Landscape;
  let broker: RunningBroker;
  let devJwk: JWK;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    landscape = await startTestLandscape();
    broker = await startBrokerOn(landscape, { backend, env: { BROKER_CONFIG: brokerConfigFile() } });
    devJwk = JSON.parse(readFileSync(join(broker.config.dataDir, 'dev-issuer-key.json'), 'utf8')) as JWK;
  });
  afterAll(async () => {
    await broker?.close();
    await landscape?.stop();
  });

  const goodClaims = (): JWTPayload => ({
    iss: broker.config.auth.issuer,
    aud: [broker.config.auth.audience],
    sub: 'local-client',
    client_id: 'local-client',
    scope: ['broker:write', 'runtimes:read', 'provisioning:write'],
    ext_attr: { subaccountid: 'local-subaccount', globalaccountid: 'local-global-account' },
    iat: now(),
    exp: now() + 600,
  });
  /** Signed with the dev issuer's own key: only what the test changes can be wrong. */
  const signWithDevKey = async (claims: JWTPayload, header: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: devJwk.kid, ...header })
      .sign(await importJWK(devJwk, 'RS256'));

  async function call(path: string, token: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const res = await fetch(`${broker.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers };
  }

  async function expectRefusedEverywhere(label: string, token: string): Promise<void> {
    for (const [path, headers] of PROTECTED) {
      const res = await call(path, token, headers);
      expect({ label, path, status: res.status, body: res.body }).toEqual({
        label,
        path,
        status: 401,
        body: { error: 'Unauthorized', description: expect.any(String) },
      });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
    }
  }

  it('accepts a well-formed token on every route group (the control for the refusals below)', async () => {
    const token = await signWithDevKey(goodClaims());
    for (const [path, headers] of PROTECTED) {
      expect({ path, status: (await call(path, token, headers)).status }).toEqual({ path, status: 200 });
    }
  });

  it('refuses forged and mis-scoped JWTs with 401 on every route group', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const attackerEc = await generateKeyPair('ES256', { extractable: true });
    const publicKey = await importJWK({ kty: 'RSA', n: devJwk.n, e: devJwk.e }, 'RS256');
    if (publicKey instanceof Uint8Array) {
      throw new Error('an RSA JWK imports as a key, not bytes');
    }
    const publicPem = await exportSPKI(publicKey);
    const [header, payload] = (await signWithDevKey(goodClaims())).split('.');
    const tampered = Buffer.from(
      JSON.stringify({ ...goodClaims(), ext_attr: { subaccountid: 'someone-else' } }),
    ).toString('base64url');
    const cases: Array<[string, () => Promise<string>]> = [
      ['alg none', async () => new UnsecuredJWT(goodClaims()).encode()],
      [
        'alg none with the dev kid and a copied signature',
        async () => {
          const none = Buffer.from(JSON.stringify({ alg: 'none', kid: devJwk.kid })).toString('base64url');
          return `${none}.${payload}.${(await signWithDevKey(goodClaims())).split('.')[2]}`;
        },
      ],
      [
        'HS256 keyed with the public key PEM (algorithm confusion)',
        async () =>
          new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256', kid: devJwk.kid }).sign(Buffer.from(publicPem)),
      ],
      [
        'a wrong RSA key under the dev kid',
        async () =>
          new SignJWT(goodClaims()).setProtectedHeader({ alg: 'RS256', kid: devJwk.kid }).sign(attacker.privateKey),
      ],
      [
        'a wrong EC key under the dev kid',
        async () =>
          new SignJWT(goodClaims()).setProtectedHeader({ alg: 'ES256', kid: devJwk.kid }).sign(attackerEc.privateKey),
      ],
      [
        'the attacker key embedded as a jwk header',
        async () =>
          new SignJWT(goodClaims())
            .setProtectedHeader({ alg: 'RS256', jwk: await exportJWK(attacker.publicKey) })
            .sign(attacker.privateKey),
      ],
      [
        'a jku header pointing elsewhere',
        async () =>
          new SignJWT(goodClaims())
            .setProtectedHeader({ alg: 'RS256', kid: 'x', jku: 'http://127.0.0.1:1/keys' })
            .sign(attacker.privateKey),
      ],
      [
        'claims changed after signing',
        async () => `${header}.${tampered}.${(await signWithDevKey(goodClaims())).split('.')[2]}`,
      ],
      ['the signature stripped', async () => `${header}.${payload}.`],
      ['a wrong audience', () => signWithDevKey({ ...goodClaims(), aud: ['someone-else'] })],
      ['no audience', () => signWithDevKey({ ...goodClaims(), aud: undefined })],
      ['a wrong issuer', () => signWithDevKey({ ...goodClaims(), iss: 'https://uaa.example.com/oauth/token' })],
      [
        'expired beyond the clock tolerance',
        () => signWithDevKey({ ...goodClaims(), iat: now() - 3600, exp: now() - 120 }),
      ],
      ['not valid before a future nbf', () => signWithDevKey({ ...goodClaims(), nbf: now() + 600 })],
      ['no exp at all', () => signWithDevKey({ ...goodClaims(), exp: undefined })],
      [
        'an unknown critical header',
        async () =>
          new SignJWT(goodClaims())
            .setProtectedHeader({ alg: 'RS256', kid: devJwk.kid, crit: ['x-unknown'], 'x-unknown': 1 })
            .sign(await importJWK(devJwk, 'RS256'), { crit: { 'x-unknown': true } }),
      ],
      ['8 KB of garbage', async () => 'eyJ' + 'A'.repeat(8000)],
    ];
    for (const [label, make] of cases) {
      await expectRefusedEverywhere(label, await make());
    }
  });

  it('refuses any token with at least one bad claim (property, signed with the real key)', async () => {
    const corruptions: Record<string, (c: JWTPayload) => JWTPayload> = {
      audience: (c) => ({ ...c, aud: [`aud-${randomUUID()}`] }),
      issuer: (c) => ({ ...c, iss: `${String(c.iss)}/other` }),
      expired: (c) => ({ ...c, exp: now() - 3600 }),
      expAsString: (c) => ({ ...c, exp: String(now() + 600) as unknown as number }),
      futureNbf: (c) => ({ ...c, nbf: now() + 3600 }),
      nbfAsString: (c) => ({ ...c, nbf: 'soon' as unknown as number }),
      noExp: (c) => ({ ...c, exp: undefined }),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(Object.keys(corruptions), { minLength: 1 }),
        fc.jsonValue({ maxDepth: 2 }),
        async (chosen, noise) => {
          const claims = chosen.reduce<JWTPayload>((c, name) => corruptions[name](c), { ...goodClaims(), noise });
          const res = await call('/oauth/v2/catalog', await signWithDevKey(claims), { 'x-broker-api-version': '2.17' });
          expect({ chosen, status: res.status }).toEqual({ chosen, status: 401 });
        },
      ),
      { numRuns: 40 },
    );
  });

  describe('one subaccount never reaches another one’s environments', () => {
    let tokenA: string;
    let tokenB: string;
    let envA: string;
    let bindingA: string;
    let kubeconfigA: string;

    async function papi(token: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
      const res = await fetch(`${broker.url}/provisioning/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, headers: res.headers };
    }

    beforeAll(async () => {
      tokenA = await devToken(broker.url, TENANT_A.clientId, TENANT_A.clientSecret);
      tokenB = await devToken(broker.url, TENANT_B.clientId, TENANT_B.clientSecret);
      const created = await papi(tokenA, 'POST', '/environments', {
        environmentType: 'kyma',
        serviceName: 'kymaruntime',
        planName: 'aws',
        parameters: { name: `tenant-a-${run}`, region: 'eu-central-1' },
        user: 'a@example.com',
      });
      expect(created.status).toBe(202);
      envA = created.body.id;
      for (let i = 0; i < 200 && (await papi(tokenA, 'GET', `/environments/${envA}`)).body.state !== 'OK'; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const bound = await papi(tokenA, 'PUT', `/environments/${envA}/bindings`, {
        parameters: { expiration_seconds: 600 },
      });
      expect(bound.status).toBe(202);
      bindingA = bound.headers.get('location')!;
      kubeconfigA = (await papi(tokenA, 'GET', `/environments/${envA}/bindings/${bindingA}`)).body.credentials
        .kubeconfig;
      expect(kubeconfigA).toContain('apiVersion');
    });

    it('answers foreign ids exactly as unknown ones (404, or 400 for a bad body), whatever is sent', async () => {
      const routes: Array<[string, string, boolean]> = [
        ['GET', `/environments/${envA}`, false],
        ['PATCH', `/environments/${envA}`, true],
        ['DELETE', `/environments/${envA}`, false],
        ['PUT', `/environments/${envA}/bindings`, true],
        ['GET', `/environments/${envA}/bindings`, false],
        ['GET', `/environments/${envA}/bindings/${bindingA}`, false],
        ['DELETE', `/environments/${envA}/bindings/${bindingA}`, false],
      ];
      const body = fc.oneof(
        fc.constant({ planName: 'aws', parameters: {} }),
        fc.constant({ parameters: { expiration_seconds: 600 } }),
        fc.record({
          planName: fc.constantFrom('aws', 'azure', 'trial'),
          parameters: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        }),
      );
      const foreignTokens = {
        'tenant B': tokenB,
        // Signed by the real issuer, claiming A's subaccount only through zid while ext_attr names B.
        'B with zid of A': await signWithDevKey({
          ...goodClaims(),
          scope: ['provisioning:write'],
          zid: TENANT_A.subaccountId,
          ext_attr: { subaccountid: TENANT_B.subaccountId },
        }),
      };
      // Whatever a foreign caller sends, the answer about A's ids is exactly the answer about ids that do
      // not exist (so not even existence leaks), and never a success.
      const unknownEnv = randomUUID();
      const unknownBinding = randomUUID();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          fc.constantFrom(...Object.keys(foreignTokens)),
          body,
          async ([method, path, withBody], who, payload) => {
            const token = foreignTokens[who as keyof typeof foreignTokens];
            const res = await papi(token, method, path, withBody ? payload : undefined);
            const unknownPath = path.replace(envA, unknownEnv).replace(bindingA, unknownBinding);
            const baseline = await papi(token, method, unknownPath, withBody ? payload : undefined);
            const normalized = JSON.stringify(res.body)
              .replaceAll(envA, unknownEnv)
              .replaceAll(bindingA, unknownBinding);
            expect({ who, method, path, status: res.status, body: normalized }).toEqual({
              who,
              method,
              path,
              status: baseline.status,
              body: JSON.stringify(baseline.body),
            });
            expect([400, 404]).toContain(res.status);
            expect(JSON.stringify(res.body)).not.toMatch(/kubeconfig|apiVersion|BEGIN/);
          },
        ),
        { numRuns: 60 },
      );
      const listed = (await papi(tokenB, 'GET', '/environments')).body.environmentInstances.map(
        (e: { id: string }) => e.id,
      );
      expect(listed).not.toContain(envA);

      // Tokens without a usable subaccount see nothing at all.
      for (const ext of [undefined, { subaccountid: [TENANT_A.subaccountId] }, { subaccountid: '' }]) {
        const token = await signWithDevKey({
          ...goodClaims(),
          scope: ['provisioning:write'],
          ext_attr: ext,
          zid: undefined,
        });
        const res = await papi(token, 'GET', `/environments/${envA}`);
        expect({ ext, status: res.status }).toEqual({ ext, status: 403 });
      }

      // A's environment and binding are untouched and still work.
      expect((await papi(tokenA, 'GET', `/environments/${envA}`)).body.state).toBe('OK');
      const still = await papi(tokenA, 'GET', `/environments/${envA}/bindings/${bindingA}`);
      expect(still.body.credentials.kubeconfig).toBe(kubeconfigA);
      expect((await kubectl(kubeconfigA, ['get', 'pods'])).code).toBe(0);
    });
  });
});
