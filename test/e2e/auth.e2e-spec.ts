import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, importJWK, JWK, JWTPayload, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { hashPassword } from '../../src/auth/password-hash';
import { RunningBroker } from '../../src/bootstrap';
import { ManualClock } from '../../src/common/clock';
import { devToken, startTestBroker } from '../support/broker';
import { BACKENDS } from '../support/databases';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A YAML config file with an extra dev client that may read runtimes but not act as the OSB platform. */
function brokerConfigFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kbt-auth-')), 'broker.yaml');
  writeFileSync(
    file,
    [
      'devIssuer:',
      '  clients:',
      '    - clientId: reader',
      '      clientSecret: reader-secret',
      '      scopes: [runtimes:read]',
    ].join('\n'),
  );
  return file;
}

describe.each(BACKENDS)('auth and the dev issuer (%s)', (backend) => {
  const clock = new ManualClock();
  let broker: RunningBroker;

  beforeAll(async () => {
    broker = await startTestBroker({
      backend,
      clock,
      env: {
        BROKER_CONFIG: brokerConfigFile(),
        OSB_BASIC_AUTH_ENABLED: 'true',
        OSB_BASIC_AUTH_USERS: `platform:${hashPassword('platform-password')}`,
      },
    });
  });
  afterAll(async () => {
    await broker.close();
  });
  beforeEach(() => clock.set(new Date()));

  const tokenRequest = (body: string, headers: Record<string, string> = FORM) =>
    fetch(`${broker.url}/uaa/oauth/token`, { method: 'POST', headers, body });
  /** Signs with the dev issuer's own key (as persisted in DATA_DIR), so only the claims can be wrong. */
  const signWithDevKey = async (claims: JWTPayload) => {
    const jwk = JSON.parse(readFileSync(join(broker.config.dataDir, 'dev-issuer-key.json'), 'utf8')) as JWK;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(await importJWK(jwk, 'RS256'));
  };
  const goodClaims = (): JWTPayload => ({
    iss: broker.config.auth.issuer,
    aud: [broker.config.auth.audience],
    sub: 'local-client',
    scope: ['broker:write'],
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
  });

  describe('dev issuer', () => {
    it('issues a client_credentials token the way seed 003 asks for it (curl -u, form body)', async () => {
      const res = await tokenRequest('grant_type=client_credentials', {
        ...FORM,
        authorization: basic('local-client', 'local-secret'),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({
        access_token: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'bearer',
        expires_in: 43200,
        scope: 'broker:write runtimes:read provisioning:write',
        jti: expect.any(String),
      });
      const keys = createRemoteJWKSet(new URL(`${broker.url}/uaa/token_keys`));
      const { payload } = await jwtVerify(body.access_token as string, keys, {
        issuer: broker.config.auth.issuer,
        audience: broker.config.auth.audience,
      });
      expect(payload).toMatchObject({
        sub: 'local-client',
        client_id: 'local-client',
        zid: 'local-subaccount',
        ext_attr: { subaccountid: 'local-subaccount', globalaccountid: 'local-global-account' },
      });
    });

    it('takes client credentials as form fields and as JSON too', async () => {
      const form = await tokenRequest('grant_type=client_credentials&client_id=reader&client_secret=reader-secret');
      expect(form.status).toBe(200);
      expect(((await form.json()) as { scope: string }).scope).toBe('runtimes:read');
      const json = await tokenRequest(
        JSON.stringify({ grant_type: 'client_credentials', client_id: 'local-client', client_secret: 'local-secret' }),
        { 'content-type': 'application/json' },
      );
      expect(json.status).toBe(200);
    });

    it('answers a bad client with 401 and an unsupported grant with 400, OAuth2 style', async () => {
      const bad = await tokenRequest('grant_type=client_credentials', {
        ...FORM,
        authorization: basic('local-client', 'wrong'),
      });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toEqual({ error: 'unauthorized', error_description: 'Bad credentials' });
      const grant = await tokenRequest('grant_type=authorization_code', {
        ...FORM,
        authorization: basic('local-client', 'local-secret'),
      });
      expect(grant.status).toBe(400);
      expect(await grant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    });

    it('publishes its key and an OIDC discovery document whose URLs work from another process', async () => {
      const keys = (await (await fetch(`${broker.url}/uaa/token_keys`)).json()) as { keys: JWK[] };
      expect(keys.keys).toHaveLength(1);
      expect(keys.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
      expect(keys.keys[0]).not.toHaveProperty('d');

      const discovery = (await (await fetch(`${broker.url}/uaa/.well-known/openid-configuration`)).json()) as Record<
        string,
        unknown
      >;
      expect(discovery).toMatchObject({
        issuer: broker.config.oidc.issuerURL,
        jwks_uri: `${broker.url}/uaa/token_keys`,
        token_endpoint: `${broker.url}/uaa/oauth/token`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    });

    it('issues an OIDC ID token for a dev user with the password grant (for /kube-config)', async () => {
      const res = await tokenRequest('grant_type=password&username=admin%40example.com&password=local-password', {
        ...FORM,
        authorization: basic('local-client', 'local-secret'),
      });
      expect(res.status).toBe(200);
      const { id_token } = (await res.json()) as { id_token: string };
      const discovery = (await (await fetch(`${broker.url}/uaa/.well-known/openid-configuration`)).json()) as {
        jwks_uri: string;
      };
      const { payload } = await jwtVerify(id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
        issuer: broker.config.oidc.issuerURL,
        audience: broker.config.oidc.clientID,
      });
      expect(payload).toMatchObject({ sub: 'admin@example.com', email: 'admin@example.com', groups: ['runtimeAdmin'] });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(86400);
    });

    it('documents the /uaa routes in Swagger and the bearer requirement of OSB routes', async () => {
      const spec = (await (await fetch(`${broker.url}/swagger/json`)).json()) as {
        paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      };
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining(['/uaa/oauth/token', '/uaa/token_keys', '/uaa/.well-known/openid-configuration']),
      );
      const catalog = spec.paths['/oauth/v2/catalog']?.get;
      expect(catalog?.security).toEqual(expect.arrayContaining([{ bearer: [] }, { basic: [] }]));
      expect(Object.keys(catalog?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
    });
  });

  describe('guarding GET /oauth/v2/catalog', () => {
    // null: send no version header (undefined would take the default).
    const catalog = (authorization?: string, version: string | null = '2.14') =>
      fetch(`${broker.url}/oauth/v2/catalog`, {
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(version ? { 'x-broker-api-version': version } : {}),
        },
      });

    it('answers 200 to a good token with X-Broker-API-Version 2.14', async () => {
      const res = await catalog(`Bearer ${await devToken(broker.url)}`);
      expect(res.status).toBe(200);
    });

    it('answers 401 with an OSB error body and a Bearer challenge without a token', async () => {
      const res = await catalog();
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'Unauthorized', description: expect.any(String) });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    });

    it('authenticates before checking the OSB version header', async () => {
      expect((await catalog(undefined, null)).status).toBe(401);
      expect((await catalog(`Bearer ${await devToken(broker.url)}`, null)).status).toBe(412);
    });

    it.each<[string, () => Promise<string>]>([
      ['garbage', async () => 'x.y.z'],
      ['alg none', async () => new UnsecuredJWT({ ...goodClaims() }).encode()],
      ['an expired token', () => signWithDevKey({ ...goodClaims(), iat: 1_600_000_000, exp: 1_600_000_600 })],
      ['a wrong audience', () => signWithDevKey({ ...goodClaims(), aud: ['someone-else'] })],
      ['a wrong issuer', () => signWithDevKey({ ...goodClaims(), iss: 'https://uaa.example.com/oauth/token' })],
    ])('answers 401 to %s', async (_case, make) => {
      const res = await catalog(`Bearer ${await make()}`);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('Unauthorized');
    });

    it('answers 401 once the broker clock passes the token expiry', async () => {
      const token = await devToken(broker.url);
      clock.advance((broker.config.devIssuer.accessTokenTtlSeconds + 3600) * 1000);
      expect((await catalog(`Bearer ${token}`)).status).toBe(401);
    });

    it('does not take an OIDC ID token as an access token', async () => {
      const res = await tokenRequest('grant_type=password&username=admin%40example.com&password=local-password', {
        ...FORM,
        authorization: basic('local-client', 'local-secret'),
      });
      const { id_token } = (await res.json()) as { id_token: string };
      expect((await catalog(`Bearer ${id_token}`)).status).toBe(401);
    });

    it('answers 403 to a valid token of a client without broker:write', async () => {
      const res = await catalog(`Bearer ${await devToken(broker.url, 'reader', 'reader-secret')}`);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: 'Forbidden', description: 'the token lacks the scope broker:write' });
    });

    it('takes HTTP Basic credentials of a configured platform user when enabled', async () => {
      expect((await catalog(basic('platform', 'platform-password'))).status).toBe(200);
      expect((await catalog(basic('platform', 'wrong'))).status).toBe(401);
      expect((await catalog(basic('nobody', 'platform-password'))).status).toBe(401);
    });
  });
});
